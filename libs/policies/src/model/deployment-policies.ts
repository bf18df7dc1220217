import { isJsonObject, JsonObject } from './json';

/** What the engine needs of a stored deployment: its identity and the policy sections of its plan. */
export interface DeploymentPlan {
  tenantName: string;
  deploymentId: string;
  groups: JsonObject | null;
  policyTypes: JsonObject | null;
  policyTriggers: JsonObject | null;
}

export interface TriggerSpec {
  name: string;
  type: string;
  /** Parameters with the trigger type's defaults applied (by the DSL parser). */
  parameters: JsonObject;
}

/** One monitoring policy of one group of one deployment, as written in the plan. */
export interface PolicySpec {
  tenantName: string;
  deploymentId: string;
  groupName: string;
  policyName: string;
  type: string;
  properties: JsonObject;
  triggers: TriggerSpec[];
  /** Node template names the policy watches (groups of groups flattened). */
  nodeNames: string[];
  /** The plan's own definition of the type, when the blueprint declared it in `policy_types`. */
  typeDefinition?: JsonObject;
}

/** `tenant/deployment`: deployment ids are unique within a tenant. */
export function deploymentKey(tenantName: string, deploymentId: string): string {
  return `${tenantName}/${deploymentId}`;
}

/** Members of a group, with nested groups replaced by their members (cycles were refused at upload). */
function memberNodes(groups: JsonObject, name: string, seen = new Set<string>()): string[] {
  const group = groups[name];
  if (!isJsonObject(group) || !Array.isArray(group.members) || seen.has(name)) return [];
  seen.add(name);
  return group.members.flatMap((member) =>
    typeof member !== 'string'
      ? []
      : member in groups
        ? memberNodes(groups, member, seen)
        : [member],
  );
}

function triggersOf(raw: unknown): TriggerSpec[] {
  if (!isJsonObject(raw)) return [];
  return Object.entries(raw).flatMap(([name, trigger]) =>
    isJsonObject(trigger) && typeof trigger.type === 'string'
      ? [
          {
            name,
            type: trigger.type,
            parameters: isJsonObject(trigger.parameters) ? trigger.parameters : {},
          },
        ]
      : [],
  );
}

/** Every monitoring policy of a deployment's plan (groups without policies give none). */
export function policiesOfPlan(plan: DeploymentPlan): PolicySpec[] {
  const groups = plan.groups ?? {};
  const specs: PolicySpec[] = [];
  for (const [groupName, group] of Object.entries(groups)) {
    if (!isJsonObject(group) || !isJsonObject(group.policies)) continue;
    const nodeNames = [...new Set(memberNodes(groups, groupName))];
    for (const [policyName, policy] of Object.entries(group.policies)) {
      if (!isJsonObject(policy) || typeof policy.type !== 'string') continue;
      const definition = plan.policyTypes?.[policy.type];
      specs.push({
        tenantName: plan.tenantName,
        deploymentId: plan.deploymentId,
        groupName,
        policyName,
        type: policy.type,
        properties: isJsonObject(policy.properties) ? policy.properties : {},
        triggers: triggersOf(policy.triggers),
        nodeNames,
        typeDefinition: isJsonObject(definition) ? definition : undefined,
      });
    }
  }
  return specs;
}
