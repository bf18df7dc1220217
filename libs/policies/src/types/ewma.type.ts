import { Metric } from '../metrics/metric';
import { numberProperty, PolicyPropertyError, PolicyType } from './policy-type';
import { ThresholdSettings, ThresholdState } from './threshold-state';
import { thresholdSettings } from './threshold.type';

export const EWMA_STABILIZED = 'cloudify.policies.types.ewma_stabilized';

/** The threshold rule applied to an exponentially weighted moving average of the values. */
class EwmaState extends ThresholdState {
  private average?: number;

  constructor(
    settings: ThresholdSettings,
    private readonly weight: number,
  ) {
    super(settings);
  }

  protected override valueOf(metric: Metric): number {
    this.average =
      this.average === undefined
        ? metric.value
        : this.weight * metric.value + (1 - this.weight) * this.average;
    return this.average;
  }
}

/**
 * `cloudify.policies.types.ewma_stabilized` (the "ewma_stddev"): the average moves by
 * `ewma_timeless_r` of each new value's distance, so one spike does not fire but a trend does.
 */
export const ewmaType: PolicyType = {
  name: EWMA_STABILIZED,
  createStateFactory(properties) {
    const settings = thresholdSettings(properties, 'ewma-threshold-breached');
    const weight = numberProperty(properties, 'ewma_timeless_r', 0.5);
    if (weight <= 0 || weight > 1)
      throw new PolicyPropertyError("property 'ewma_timeless_r' must be in (0, 1]");
    return () => new EwmaState(settings, weight);
  },
};
