import type { JsonObject, NodeInstanceChanges } from '@nestify/model';

/** The stored fields a PATCH may replace. */
export interface PatchableInstance {
  state: string;
  runtimeProperties: JsonObject | null;
  systemProperties: JsonObject | null;
  relationships: JsonObject[] | null;
}

/** The fields of a PATCH body; `undefined`/`null` means "leave as stored". */
export interface InstancePatch {
  state?: string | null;
  runtime_properties?: JsonObject | null;
  system_properties?: JsonObject | null;
  relationships?: JsonObject[] | null;
}

/** JSON equality: objects compare by keys regardless of order (as jsonb and Python dicts do). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * The flags Cloudify derives from `system_properties`: drifted if the instance's own drift check
 * or any of its relationships' (source or target side) failed or reported a result; status check
 * ok only if the last `status` says `ok`.
 */
export function systemPropertyFlags(systemProperties: JsonObject | null): {
  hasConfigurationDrift: boolean;
  isStatusCheckOk: boolean;
} {
  const props = asRecord(systemProperties);
  const drifts = [
    props.configuration_drift,
    ...Object.values(asRecord(props.source_relationships_configuration_drift)),
    ...Object.values(asRecord(props.target_relationships_configuration_drift)),
  ].map(asRecord);
  const hasConfigurationDrift = drifts.some(
    (drift) =>
      ('ok' in drift && !drift.ok) || (drift.result !== undefined && drift.result !== null),
  );
  return {
    hasConfigurationDrift,
    isStatusCheckOk: Boolean(asRecord(props.status).ok),
  };
}

/**
 * What a PATCH changes: every non-null field that differs from the stored value replaces it
 * (runtime_properties is replaced whole, never merged); a system_properties change also
 * recomputes the two flags. An empty result means the row stays as it is (and keeps its version).
 */
export function instanceChanges(
  stored: PatchableInstance,
  patch: InstancePatch,
): NodeInstanceChanges {
  const changes: NodeInstanceChanges = {};
  if (patch.state != null && patch.state !== stored.state) changes.state = patch.state;
  if (
    patch.runtime_properties != null &&
    !jsonEqual(patch.runtime_properties, stored.runtimeProperties)
  )
    changes.runtimeProperties = patch.runtime_properties;
  if (
    patch.system_properties != null &&
    !jsonEqual(patch.system_properties, stored.systemProperties)
  ) {
    changes.systemProperties = patch.system_properties;
    Object.assign(changes, systemPropertyFlags(patch.system_properties));
  }
  if (patch.relationships != null && !jsonEqual(patch.relationships, stored.relationships))
    changes.relationships = patch.relationships;
  return changes;
}

/** Cloudify's 409 text for a PATCH carrying an older version than the stored one. */
export function versionConflictMessage(current: number, requested: number): string {
  return `Node instance update conflict [current version=${current}, update version=${requested}]`;
}
