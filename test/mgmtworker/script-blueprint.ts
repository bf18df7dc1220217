import type { ArchiveEntry } from '../support/archives';

/**
 * A blueprint whose operations are bash scripts run by the central deployment agent: two hosts,
 * an app on each (contained_in) connected_to one db. Every run appends a line
 * `<instance> <operation>` (relationship ops: `<source> <op> <side> <target>`) to the file named by
 * the `run_log` input, and sets runtime properties through `ctx`. The `behaviour` input makes
 * `app`'s `configure` fail a number of times first (`flaky:<n>`), abort (`abort`), or block until a
 * file appears (`block:<path>`).
 */
const BLUEPRINT = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
inputs:
  run_log: { type: string }
  behaviour: { type: string, default: '' }
node_types:
  test.Scripted:
    derived_from: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: create } } }
        configure: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: configure }, behaviour: { default: { get_input: behaviour } } } }
        start: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: start } } }
        stop: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: stop } } }
        delete: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: delete } } }
      test.custom:
        touch: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/op.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: touch } } }
relationships:
  test.connected:
    derived_from: cloudify.relationships.connected_to
    source_interfaces:
      cloudify.interfaces.relationship_lifecycle:
        preconfigure: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: preconfigure }, side: { default: source } } }
        establish: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: establish }, side: { default: source } } }
        unlink: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: unlink }, side: { default: source } } }
    target_interfaces:
      cloudify.interfaces.relationship_lifecycle:
        preconfigure: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: preconfigure }, side: { default: target } } }
        establish: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: establish }, side: { default: target } } }
        unlink: { executor: central_deployment_agent, max_retries: 3, retry_interval: 0, implementation: scripts/rel.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: unlink }, side: { default: target } } }
node_templates:
  db:
    type: test.Scripted
  host:
    type: test.Scripted
    capabilities:
      scalable:
        properties: { default_instances: 2 }
  app:
    type: test.Scripted
    relationships:
      - { type: cloudify.relationships.contained_in, target: host }
      - { type: test.connected, target: db }
`;

/** A lifecycle op: records its run, sets `<op>_done` (and the app's `flaky`/`abort`/`block` behaviour on configure). */
const OP_SH = `#!/bin/bash
set -e
me=$(ctx instance id)
case "$behaviour" in
  flaky:*)
    if [ "$(ctx node id)" = app ]; then
      n=\${behaviour#flaky:}
      tries=$(grep -c "^$me configure-attempt" "$run_log" || true)
      echo "$me configure-attempt" >> "$run_log"
      if [ "$tries" -lt "$n" ]; then echo "configure failed on purpose ($tries)" >&2; exit 1; fi
    fi ;;
  abort)
    if [ "$(ctx node id)" = app ]; then ctx abort-operation "app cannot be configured"; fi ;;
  block:*)
    if [ "$(ctx node id)" = app ]; then
      echo "$me configure-blocked" >> "$run_log"
      while [ ! -e "\${behaviour#block:}" ]; do sleep 0.05; done
    fi ;;
esac
echo "$me $op" >> "$run_log"
ctx instance runtime-properties "\${op}_done" true
if [ "$op" = create ]; then ctx instance runtime-properties address "addr-$me"; fi
`;

/** A relationship op: records its run; the source side copies the target's address. */
const REL_SH = `#!/bin/bash
set -e
source_id=$(ctx source instance id)
target_id=$(ctx target instance id)
echo "$source_id $op $side $target_id" >> "$run_log"
if [ "$side" = source ] && [ "$op" = preconfigure ]; then
  ctx source instance runtime-properties db_address "$(ctx target instance runtime-properties address)"
fi
`;

export function scriptBlueprint(): ArchiveEntry[] {
  return [
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: BLUEPRINT },
    { name: 'bp/scripts/', kind: 'dir' },
    { name: 'bp/scripts/op.sh', body: OP_SH, mode: 0o755 },
    { name: 'bp/scripts/rel.sh', body: REL_SH, mode: 0o755 },
  ];
}

/** The lines of the run log, as `[instance, op, …]`. */
export function runLines(text: string): string[][] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
}
