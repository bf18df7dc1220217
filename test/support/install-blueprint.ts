/**
 * The install benchmark's blueprint shape: `hosts` host instances, one app contained in each,
 * every app connected to one db (2 × hosts + 1 instances), each lifecycle operation in
 * `operations` implemented by `implementation` of `plugin` on the central deployment agent.
 */
export function hostAppDbBlueprint(
  hosts: number,
  plugin: string,
  implementation: string,
  operations: readonly string[],
): string {
  const ops = operations.map((op) => `${op}: ${implementation}`).join(', ');
  const interfaces = `interfaces: { cloudify.interfaces.lifecycle: { ${ops} } }`;
  return `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
plugins: { ${plugin}: { executor: central_deployment_agent, install: false } }
node_templates:
  host:
    type: cloudify.nodes.Root
    capabilities: { scalable: { properties: { default_instances: ${hosts} } } }
    ${interfaces}
  db:
    type: cloudify.nodes.Root
    ${interfaces}
  app:
    type: cloudify.nodes.Root
    relationships:
      - { type: cloudify.relationships.contained_in, target: host }
      - { type: cloudify.relationships.connected_to, target: db }
    ${interfaces}
`;
}
