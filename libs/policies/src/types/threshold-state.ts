import { Metric } from '../metrics/metric';
import { Breach, PolicyState } from './policy-type';

export interface ThresholdSettings {
  threshold: number;
  upperBound: boolean;
  stabilitySeconds: number;
  diagnose: string;
}

/**
 * Fires when the watched value stays at or beyond the threshold (`>=` upper bound, `<=` lower)
 * for `stability_time` seconds of metric time, measured from the first breaching value; any value
 * back inside resets it. Metric time, not arrival time, so a rebuild replaying stored values lands
 * in the same state and a queue backlog does not stretch or shrink the window.
 */
export class ThresholdState implements PolicyState {
  private breachSince?: number;
  private fired = false;

  constructor(private readonly settings: ThresholdSettings) {}

  /** The value compared with the threshold: the metric itself here, an average in subclasses. */
  protected valueOf(metric: Metric): number {
    return metric.value;
  }

  observe(metric: Metric, nowMs: number): Breach | undefined {
    // A value already past its ttl when it arrives says nothing about now.
    if ((metric.time + metric.ttl) * 1000 < nowMs) return undefined;
    const value = this.valueOf(metric);
    const { threshold, upperBound, stabilitySeconds } = this.settings;
    const breached = upperBound ? value >= threshold : value <= threshold;
    if (!breached) {
      this.breachSince = undefined;
      this.fired = false;
      return undefined;
    }
    this.breachSince ??= metric.time;
    if (this.fired || metric.time - this.breachSince < stabilitySeconds) return undefined;
    this.fired = true;
    return { diagnose: this.settings.diagnose, metric };
  }
}
