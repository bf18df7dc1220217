import type { ArchiveEntry } from '../support/archives';

/**
 * Every lifecycle op appends `<instance> <op>` to the file named by the `run_log` input;
 * `check_status` fails for an instance listed in `<run_log>.down` (its host is "down").
 */
const OP_SH = `#!/bin/bash
set -e
me=$(ctx instance id)
if [ "$op" = check_status ]; then
  if grep -qx "$me" "$run_log.down" 2>/dev/null; then echo "$me does not answer" >&2; exit 1; fi
  exit 0
fi
echo "$me $op" >> "$run_log"
`;

function lifecycle(ops: string[]): string {
  return ops
    .map(
      (op) =>
        `        ${op}: { executor: central_deployment_agent, implementation: scripts/op.sh, ` +
        `inputs: { run_log: { default: { get_input: run_log } }, op: { default: ${op} } } }`,
    )
    .join('\n');
}

const HEADER = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
inputs:
  run_log: { type: string }
node_types:
  test.Vm:
    derived_from: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
${lifecycle(['create', 'start', 'stop', 'delete'])}
      cloudify.interfaces.validation:
${lifecycle(['check_status'])}
`;

/** The autoheal sample, scripted: host_failure on `heartbeat` of two VMs → heal the silent one. */
const AUTOHEAL = `${HEADER}
node_templates:
  vm:
    type: test.Vm
    instances: { deploy: 2 }
groups:
  watched_vms:
    members: [vm]
    policies:
      host_down:
        type: cloudify.policies.types.host_failure
        properties:
          service: [heartbeat]
          interval_between_workflows: 30
        triggers:
          heal_it:
            type: cloudify.policies.triggers.execute_workflow
            parameters:
              workflow: heal
              workflow_parameters:
                node_instance_id: { get_property: [SELF, node_id] }
                diagnose_value: { get_property: [SELF, diagnose] }
`;

/** The autoscale sample, scripted: cpu.total.user ≥ 80 for 1 s → scale web_tier by +1. */
const AUTOSCALE = `${HEADER}
node_templates:
  web_host:
    type: test.Vm
groups:
  web_tier:
    members: [web_host]
    policies:
      cpu_high:
        type: cloudify.policies.types.threshold
        properties:
          service: cpu\\.total\\.user
          threshold: 80
          upper_bound: true
          stability_time: 1
        triggers:
          scale_out:
            type: cloudify.policies.triggers.execute_workflow
            parameters:
              workflow: scale
              workflow_parameters:
                scalable_entity_name: web_tier
                delta: 1
policies:
  web_tier_scaling:
    type: cloudify.policies.scaling
    targets: [web_tier]
    properties: { default_instances: 1, min_instances: 1, max_instances: 5 }
`;

function archive(yaml: string): ArchiveEntry[] {
  return [
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: yaml },
    { name: 'bp/scripts/', kind: 'dir' },
    { name: 'bp/scripts/op.sh', body: OP_SH, mode: 0o755 },
  ];
}

export const autohealBlueprint = () => archive(AUTOHEAL);
export const autoscaleBlueprint = () => archive(AUTOSCALE);

/** The example webhook trigger (examples/webhook-trigger) on `temperature` ≥ 50, posting to `url`. */
export function webhookBlueprint(url: string): ArchiveEntry[] {
  return archive(`${HEADER}
policy_triggers:
  example.policies.triggers.webhook:
    source: examples/webhook-trigger
    parameters:
      url: {}
      headers: { default: {} }
node_templates:
  vm:
    type: test.Vm
groups:
  watched:
    members: [vm]
    policies:
      too_hot:
        type: cloudify.policies.types.threshold
        properties: { service: temperature, threshold: 50 }
        triggers:
          call_home:
            type: example.policies.triggers.webhook
            parameters: { url: '${url}' }
`);
}
