import { JsonObject } from './json';
import { booleanProperty, numberProperty, PolicyPropertyError } from '../types/policy-type';

/** The properties every policy type shares (Cloudify's "basic auto-heal" properties). */
export interface CommonPolicySettings {
  /** One state for the whole group instead of one per node instance. */
  operatesOnGroup: boolean;
  /** Trigger only while the node instance is `started`. */
  nodeStartedBeforeWorkflow: boolean;
  /** Least time between two triggers for the same target; 0 = no limit. */
  intervalBetweenWorkflowsMs: number;
  /** Service names listened to, each a regular expression matched against the whole name. */
  services: RegExp[];
}

function servicePatterns(value: unknown): RegExp[] {
  const list = Array.isArray(value) ? value : [value ?? 'service'];
  return list.map((pattern) => {
    if (typeof pattern !== 'string')
      throw new PolicyPropertyError("property 'service' must be text");
    try {
      return new RegExp(`^(?:${pattern})$`);
    } catch {
      throw new PolicyPropertyError(`property 'service': '${pattern}' is not a regular expression`);
    }
  });
}

export function commonSettings(properties: JsonObject): CommonPolicySettings {
  const interval = numberProperty(properties, 'interval_between_workflows', 300);
  return {
    operatesOnGroup: booleanProperty(properties, 'policy_operates_on_group', false),
    nodeStartedBeforeWorkflow: booleanProperty(properties, 'is_node_started_before_workflow', true),
    intervalBetweenWorkflowsMs: interval > 0 ? interval * 1000 : 0,
    services: servicePatterns(properties.service),
  };
}
