import { Metric } from '../metrics/metric';
import { DeploymentPlan } from '../model/deployment-policies';
import { JsonObject } from '../model/json';

/** A plan with one group `g` of node `vm` holding one policy `p` (for specs). */
export function planWith(type: string, properties: JsonObject, deploymentId = 'd'): DeploymentPlan {
  return {
    tenantName: 't',
    deploymentId,
    policyTypes: {},
    policyTriggers: {},
    groups: {
      g: {
        members: ['vm'],
        policies: {
          p: {
            type,
            properties,
            triggers: {
              heal: {
                type: 'cloudify.policies.triggers.execute_workflow',
                parameters: {
                  workflow: 'heal',
                  workflow_parameters: {
                    node_instance_id: { get_property: ['SELF', 'node_id'] },
                    diagnose_value: { get_property: ['SELF', 'diagnose'] },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

export function metric(time: number, value: number, overrides: Partial<Metric> = {}): Metric {
  return {
    tenantName: 't',
    deploymentId: 'd',
    nodeName: 'vm',
    nodeInstanceId: 'vm_1',
    service: 'cpu.total.user',
    value,
    time,
    ttl: 10,
    ...overrides,
  };
}
