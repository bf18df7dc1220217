import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import { checkCounts, UNBOUNDED } from './nodes';
import { ScalingGroup } from './plan-types';

export const SCALING_POLICY = 'cloudify.policies.scaling';

export interface GroupContext {
  nodeNames: Set<string>;
  policyTypes: JsonObject;
  policyTriggers: JsonObject;
  locate?: Locate;
}

function defaultsOf(schema: Json | undefined): JsonObject {
  const values: JsonObject = {};
  if (!isObject(schema)) return values;
  for (const [name, definition] of Object.entries(schema)) {
    if (isObject(definition) && 'default' in definition) values[name] = definition.default;
  }
  return values;
}

/**
 * The plan's `groups`: members (node templates or other groups) and their monitoring policies,
 * whose properties and trigger parameters get the defaults of their policy type and trigger.
 */
export function buildGroups(
  section: Json | undefined,
  ctx: GroupContext,
): Record<string, JsonObject> {
  const groups: Record<string, JsonObject> = {};
  if (!isObject(section)) return groups;
  const { locate } = ctx;
  for (const [name, raw] of Object.entries(section)) {
    const path = ['groups', name];
    if (!isObject(raw)) throw dslError('a group must be a mapping', path, { locate });
    if (ctx.nodeNames.has(name)) {
      throw dslError(`group '${name}' has the name of a node template`, path, {
        code: DSL_ERROR_CODES.groupAndNodeSameName,
        locate,
      });
    }
    const members = raw.members;
    if (!Array.isArray(members) || members.length === 0) {
      throw dslError('a group needs a non-empty members list', [...path, 'members'], { locate });
    }
    members.forEach((member, index) => {
      if (typeof member !== 'string' || !(ctx.nodeNames.has(member) || member in section)) {
        throw dslError(
          `member '${String(member)}' is neither a node template nor a group`,
          [...path, 'members', index],
          {
            locate,
          },
        );
      }
    });
    groups[name] = { members, policies: buildMonitoringPolicies(raw.policies, path, ctx) };
  }
  checkGroupCycles(groups, locate);
  return groups;
}

function buildMonitoringPolicies(
  raw: Json | undefined,
  groupPath: (string | number)[],
  ctx: GroupContext,
): JsonObject {
  const policies: JsonObject = {};
  if (!isObject(raw)) return policies;
  for (const [name, policy] of Object.entries(raw)) {
    const path = [...groupPath, 'policies', name];
    if (
      !isObject(policy) ||
      typeof policy.type !== 'string' ||
      !isObject(ctx.policyTypes[policy.type])
    ) {
      throw dslError(
        `policy type '${isObject(policy) ? String(policy.type) : ''}' is not defined`,
        [...path, 'type'],
        {
          code: DSL_ERROR_CODES.unknownType,
          locate: ctx.locate,
        },
      );
    }
    const policyType = ctx.policyTypes[policy.type] as JsonObject;
    const triggers: JsonObject = {};
    for (const [triggerName, trigger] of Object.entries(
      isObject(policy.triggers) ? policy.triggers : {},
    )) {
      if (
        !isObject(trigger) ||
        typeof trigger.type !== 'string' ||
        !isObject(ctx.policyTriggers[trigger.type])
      ) {
        throw dslError(
          'policy trigger type is not defined',
          [...path, 'triggers', triggerName, 'type'],
          {
            code: DSL_ERROR_CODES.unknownType,
            locate: ctx.locate,
          },
        );
      }
      const definition = ctx.policyTriggers[trigger.type] as JsonObject;
      triggers[triggerName] = {
        type: trigger.type,
        parameters: {
          ...defaultsOf(definition.parameters),
          ...(isObject(trigger.parameters) ? trigger.parameters : {}),
        },
      };
    }
    policies[name] = {
      type: policy.type,
      properties: {
        ...defaultsOf(policyType.properties),
        ...(isObject(policy.properties) ? policy.properties : {}),
      },
      triggers,
    };
  }
  return policies;
}

function checkGroupCycles(groups: Record<string, JsonObject>, locate?: Locate): void {
  const visit = (name: string, chain: string[]) => {
    if (chain.includes(name)) {
      throw dslError(
        `groups contain each other: ${[...chain, name].join(' → ')}`,
        ['groups', name],
        {
          code: DSL_ERROR_CODES.groupCycle,
          locate,
        },
      );
    }
    for (const member of groups[name].members as string[])
      if (member in groups) visit(member, [...chain, name]);
  };
  for (const name of Object.keys(groups)) visit(name, []);
}

/** Scaling policies (`cloudify.policies.scaling` over groups) and the scaling groups they define. */
export function buildScalingPolicies(
  section: Json | undefined,
  groups: Record<string, JsonObject>,
  locate?: Locate,
): { policies: Record<string, JsonObject>; scalingGroups: Record<string, ScalingGroup> } {
  const policies: Record<string, JsonObject> = {};
  const scalingGroups: Record<string, ScalingGroup> = {};
  if (!isObject(section)) return { policies, scalingGroups };
  for (const [name, raw] of Object.entries(section)) {
    const path = ['policies', name];
    if (!isObject(raw)) throw dslError('a policy must be a mapping', path, { locate });
    if (raw.type !== SCALING_POLICY) {
      throw dslError(
        `policy type '${String(raw.type)}' is not supported here; use ${SCALING_POLICY}`,
        [...path, 'type'],
        {
          code: DSL_ERROR_CODES.unsupportedPolicy,
          locate,
        },
      );
    }
    const targets = raw.targets;
    if (!Array.isArray(targets) || targets.length === 0) {
      throw dslError('a scaling policy needs targets', [...path, 'targets'], {
        code: DSL_ERROR_CODES.noTargets,
        locate,
      });
    }
    const given = isObject(raw.properties) ? raw.properties : {};
    const number = (key: string, fallback: number): number => {
      const value = given[key];
      if (value === undefined || value === null) return fallback;
      if (value === 'UNBOUNDED') return UNBOUNDED;
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw dslError(`${key} must be an integer`, [...path, 'properties', key], {
          code: DSL_ERROR_CODES.invalidInstanceCounts,
          locate,
        });
      }
      return value;
    };
    const properties = {
      default_instances: number('default_instances', 1),
      min_instances: number('min_instances', 0),
      max_instances: number('max_instances', UNBOUNDED),
    };
    checkCounts(
      properties.default_instances,
      properties.min_instances,
      properties.max_instances,
      [...path, 'properties'],
      locate,
    );
    targets.forEach((target, index) => {
      if (typeof target !== 'string' || !(target in groups)) {
        throw dslError(`target '${String(target)}' is not a group`, [...path, 'targets', index], {
          code: DSL_ERROR_CODES.nonGroupTarget,
          locate,
        });
      }
      scalingGroups[target] = {
        members: [...(groups[target].members as string[])],
        properties: {
          ...properties,
          current_instances: properties.default_instances,
          planned_instances: properties.default_instances,
        },
      };
    });
    policies[name] = { type: SCALING_POLICY, targets, properties };
  }
  return { policies, scalingGroups };
}
