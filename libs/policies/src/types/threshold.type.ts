import { JsonObject } from '../model/json';
import { booleanProperty, numberProperty, PolicyType } from './policy-type';
import { ThresholdState } from './threshold-state';

export const THRESHOLD = 'cloudify.policies.types.threshold';

export function thresholdSettings(properties: JsonObject, diagnose: string) {
  return {
    threshold: numberProperty(properties, 'threshold'),
    upperBound: booleanProperty(properties, 'upper_bound', true),
    stabilitySeconds: Math.max(0, numberProperty(properties, 'stability_time', 0)),
    diagnose,
  };
}

/** `cloudify.policies.types.threshold`: a value beyond `threshold` for `stability_time` seconds. */
export const thresholdType: PolicyType = {
  name: THRESHOLD,
  createStateFactory(properties) {
    const settings = thresholdSettings(properties, 'threshold-breached');
    return () => new ThresholdState(settings);
  },
};
