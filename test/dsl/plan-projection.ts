import { DeploymentPlan, JsonObject, PlanOperation, PlanRelationship } from '@nestify/dsl';

/** Operations that do something (no-ops are dropped to keep expected plans readable). */
function realOperations(operations: Record<string, PlanOperation>): Record<string, PlanOperation> {
  return Object.fromEntries(Object.entries(operations).filter(([, op]) => op.operation !== ''));
}

const names = (plugins: JsonObject[]) =>
  plugins.map((p) => `${String(p.name)}:${String(p.executor)}`);

function relationship(rel: PlanRelationship): JsonObject {
  return {
    type: rel.type,
    target_id: rel.target_id,
    type_hierarchy: rel.type_hierarchy,
    properties: rel.properties,
    source_operations: realOperations(rel.source_operations),
    target_operations: realOperations(rel.target_operations),
  };
}

/**
 * The part of a deployment plan the corpus pins down: everything a blueprint decides, without
 * the bulk that only repeats the built-in types (their no-op operations, built-in workflows and
 * relationship types are listed by name only).
 */
export function projectPlan(plan: DeploymentPlan): JsonObject {
  const builtinWorkflow = (w: JsonObject) => w.plugin === 'default_workflows';
  return {
    version: plan.version,
    description: plan.description,
    metadata: plan.metadata,
    inputs: plan.inputs,
    nodes: plan.nodes.map((node) => ({
      id: node.id,
      type: node.type,
      type_hierarchy: node.type_hierarchy,
      properties: node.properties,
      host_id: node.host_id,
      instances: node.instances,
      scalable: node.capabilities.scalable.properties,
      operations: realOperations(node.operations),
      relationships: node.relationships.map(relationship),
      plugins: names(node.plugins),
      plugins_to_install: names(node.plugins_to_install),
      deployment_plugins_to_install: names(node.deployment_plugins_to_install),
    })),
    node_instances: plan.node_instances as unknown as JsonObject[],
    outputs: plan.outputs,
    capabilities: plan.capabilities,
    groups: plan.groups,
    policies: plan.policies,
    scaling_groups: plan.scaling_groups,
    workflow_names: Object.keys(plan.workflows).sort(),
    custom_workflows: Object.fromEntries(
      Object.entries(plan.workflows).filter(([, w]) => !builtinWorkflow(w as JsonObject)),
    ),
    relationship_types: Object.keys(plan.relationships).sort(),
    data_types: Object.keys(plan.data_types).sort(),
    policy_types: Object.keys(plan.policy_types).sort(),
    policy_triggers: Object.keys(plan.policy_triggers).sort(),
    deployment_plugins_to_install: names(plan.deployment_plugins_to_install),
    workflow_plugins_to_install: names(plan.workflow_plugins_to_install),
    host_agent_plugins_to_install: names(plan.host_agent_plugins_to_install),
    labels: plan.labels,
    blueprint_labels: plan.blueprint_labels,
    deployment_settings: plan.deployment_settings,
    resource_tags: plan.resource_tags,
    imported_blueprints: plan.imported_blueprints,
    namespaces_mapping: plan.namespaces_mapping,
    requirements: plan.requirements as unknown as JsonObject,
  };
}

/** Deterministic instance ids for expected plans: `<prefix>_000001`, `<prefix>_000002`, … */
export function sequentialIds(): (prefix: string) => string {
  const counters = new Map<string, number>();
  return (prefix) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return `${prefix}_${String(next).padStart(6, '0')}`;
  };
}
