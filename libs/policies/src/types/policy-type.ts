import { Metric } from '../metrics/metric';
import { JsonObject } from '../model/json';

/** A policy went into its triggering state because of `metric` (for host_failure: its last value). */
export interface Breach {
  /** Why, passed to triggers as `diagnose` (`threshold-breached`, `heart-beat-failure`…). */
  diagnose: string;
  metric: Metric;
}

/**
 * The evolving state of one policy for one node instance (or for its whole group when
 * `policy_operates_on_group`). Only a transition into the triggering state returns a breach, so
 * one sustained breach fires once.
 */
export interface PolicyState {
  /** A new value of a watched series, newer than any before it. */
  observe(metric: Metric, nowMs: number): Breach | undefined;
  /** Called on every expiry tick for types that fire on silence. */
  expire?(nowMs: number): Breach[];
  /**
   * After a rebuild from stored values: `newestMs` is the newest stored value's time (about when
   * the previous engine stopped), `startMs` when this one started.
   */
  resume?(newestMs: number, startMs: number): void;
}

/**
 * A policy type: validates the properties of a policy (defaults already applied by the DSL
 * parser) and makes fresh states for it. Built-in and custom types implement the same interface.
 */
export interface PolicyType {
  readonly name: string;
  /** Throws PolicyPropertyError for properties it cannot work with. */
  createStateFactory(properties: JsonObject): () => PolicyState;
}

/** A policy whose properties make no sense; the policy is not loaded and the reason logged. */
export class PolicyPropertyError extends Error {}

export function numberProperty(properties: JsonObject, name: string, fallback?: number): number {
  const value = properties[name] ?? fallback;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed))
    throw new PolicyPropertyError(
      `property '${name}' must be a number (got ${JSON.stringify(value)})`,
    );
  return parsed;
}

export function booleanProperty(properties: JsonObject, name: string, fallback: boolean): boolean {
  const value = properties[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new PolicyPropertyError(`property '${name}' must be true or false`);
}
