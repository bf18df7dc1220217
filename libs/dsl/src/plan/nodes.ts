import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import { applyPropertySchema, DataTypeDefinition, PropertySchema } from '../schema';
import { Interfaces, mergeTemplateInterfaces, readInterfaces } from '../types/operation-definition';
import { ResolvedType } from '../types/type-resolver';
import { OperationContext, planOperations } from './operations';
import { PlanNode, PlanRelationship, ScalableProperties } from './plan-types';
import { CENTRAL_DEPLOYMENT_AGENT, HOST_AGENT } from './plugins';

export const ROOT_NODE_TYPE = 'cloudify.nodes.Root';
export const COMPUTE_TYPE = 'cloudify.nodes.Compute';
export const CONTAINED_IN = 'cloudify.relationships.contained_in';
export const UNBOUNDED = -1;

const TEMPLATE_KEYS = new Set([
  'type',
  'properties',
  'interfaces',
  'relationships',
  'instances',
  'capabilities',
]);
const RELATIONSHIP_KEYS = new Set([
  'type',
  'target',
  'properties',
  'source_interfaces',
  'target_interfaces',
]);

export interface NodeBuildContext {
  nodeTypes: Map<string, ResolvedType>;
  relationshipTypes: Map<string, ResolvedType>;
  dataTypes: Record<string, DataTypeDefinition>;
  operations: OperationContext;
  locate?: Locate;
  /** Blueprints before 1_3 may only use `instances.deploy`. */
  allowsScalableCapability: boolean;
}

/** Builds the plan's `nodes` from node_templates: types applied, operations resolved, hosts found. */
export function buildNodes(templates: JsonObject, ctx: NodeBuildContext): PlanNode[] {
  const nodes = Object.entries(templates).map(([name, template]) =>
    buildNode(name, template, templates, ctx),
  );
  assignHosts(nodes, ctx);
  assignPlugins(nodes, ctx);
  return nodes;
}

function buildNode(
  name: string,
  raw: Json,
  templates: JsonObject,
  ctx: NodeBuildContext,
): PlanNode {
  const path = ['node_templates', name];
  const { locate } = ctx;
  if (!isObject(raw)) throw dslError('a node template must be a mapping', path, { locate });
  for (const key of Object.keys(raw)) {
    if (!TEMPLATE_KEYS.has(key))
      throw dslError(`unknown node template field '${key}'`, [...path, key], { locate });
  }
  const type = ctx.nodeTypes.get(String(raw.type));
  if (typeof raw.type !== 'string' || !type) {
    throw dslError(`node type '${String(raw.type)}' is not defined`, [...path, 'type'], {
      code: DSL_ERROR_CODES.unknownNodeType,
      locate,
    });
  }
  const properties = applyPropertySchema(
    type.properties as Record<string, PropertySchema>,
    templateMap(raw.properties, [...path, 'properties'], ctx),
    { dataTypes: ctx.dataTypes, path: [...path, 'properties'], locate },
  );
  const interfaces = mergeTemplateInterfaces(
    type.interfaces.interfaces ?? {},
    readInterfaces(raw.interfaces, [...path, 'interfaces'], locate),
    [...path, 'interfaces'],
    locate,
  );
  const relationships = buildRelationships(name, raw.relationships, templates, ctx);
  const scalable = scalableProperties(name, raw, ctx);
  return {
    name,
    id: name,
    type: type.name,
    type_hierarchy: type.typeHierarchy,
    properties,
    interfaces: interfaces as JsonObject,
    operations: planOperations(interfaces, ctx.operations, [...path, 'interfaces']),
    relationships,
    plugins: [],
    plugins_to_install: [],
    deployment_plugins_to_install: [],
    host_id: null,
    instances: { deploy: scalable.default_instances },
    capabilities: { scalable: { properties: scalable } },
  };
}

function templateMap(
  value: Json | undefined,
  path: (string | number)[],
  ctx: NodeBuildContext,
): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw dslError('must be a mapping', path, { locate: ctx.locate });
  return value;
}

function buildRelationships(
  source: string,
  raw: Json | undefined,
  templates: JsonObject,
  ctx: NodeBuildContext,
): PlanRelationship[] {
  const { locate } = ctx;
  const base = ['node_templates', source, 'relationships'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw dslError('relationships must be a list', base, { locate });
  const relationships = raw.map((rel, index) =>
    buildRelationship(source, rel, [...base, index], templates, ctx),
  );
  const containers = relationships.filter((rel) => rel.type_hierarchy.includes(CONTAINED_IN));
  if (containers.length > 1) {
    throw dslError(`node '${source}' has more than one contained_in relationship`, base, {
      code: DSL_ERROR_CODES.multipleContainedIn,
      locate,
    });
  }
  return relationships;
}

function buildRelationship(
  source: string,
  raw: Json,
  path: (string | number)[],
  templates: JsonObject,
  ctx: NodeBuildContext,
): PlanRelationship {
  const { locate } = ctx;
  if (!isObject(raw)) throw dslError('a relationship must be a mapping', path, { locate });
  for (const key of Object.keys(raw)) {
    if (!RELATIONSHIP_KEYS.has(key))
      throw dslError(`unknown relationship field '${key}'`, [...path, key], { locate });
  }
  const type = ctx.relationshipTypes.get(String(raw.type));
  if (typeof raw.type !== 'string' || !type) {
    throw dslError(`relationship type '${String(raw.type)}' is not defined`, [...path, 'type'], {
      code: DSL_ERROR_CODES.undefinedRelationshipType,
      locate,
    });
  }
  const target = raw.target;
  if (typeof target !== 'string' || !(target in templates)) {
    throw dslError(
      `relationship target '${String(target)}' is not a node template`,
      [...path, 'target'],
      {
        code: DSL_ERROR_CODES.undefinedTargetNode,
        locate,
      },
    );
  }
  if (target === source) {
    throw dslError(`node '${source}' has a relationship to itself`, [...path, 'target'], {
      code: DSL_ERROR_CODES.relationshipToSelf,
      locate,
    });
  }
  const properties = applyPropertySchema(
    type.properties as Record<string, PropertySchema>,
    templateMap(raw.properties, [...path, 'properties'], ctx),
    { dataTypes: ctx.dataTypes, path: [...path, 'properties'], locate },
  );
  const side = (key: 'source_interfaces' | 'target_interfaces'): Interfaces =>
    mergeTemplateInterfaces(
      type.interfaces[key] ?? {},
      readInterfaces(raw[key], [...path, key], locate),
      [...path, key],
      locate,
    );
  const sourceInterfaces = side('source_interfaces');
  const targetInterfaces = side('target_interfaces');
  return {
    type: type.name,
    target_id: target,
    type_hierarchy: type.typeHierarchy,
    properties,
    source_interfaces: sourceInterfaces as JsonObject,
    target_interfaces: targetInterfaces as JsonObject,
    source_operations: planOperations(
      sourceInterfaces,
      ctx.operations,
      [...path, 'source_interfaces'],
      19,
    ),
    target_operations: planOperations(
      targetInterfaces,
      ctx.operations,
      [...path, 'target_interfaces'],
      19,
    ),
  };
}

/** Instance counts from `capabilities.scalable.properties` (1_3+) or the older `instances.deploy`. */
function scalableProperties(
  name: string,
  raw: JsonObject,
  ctx: NodeBuildContext,
): ScalableProperties {
  const path = ['node_templates', name];
  const { locate } = ctx;
  const deploy = isObject(raw.instances) ? raw.instances.deploy : undefined;
  const scalable =
    isObject(raw.capabilities) && isObject(raw.capabilities.scalable)
      ? raw.capabilities.scalable
      : undefined;
  if (scalable && !ctx.allowsScalableCapability) {
    throw dslError(
      'capabilities.scalable needs cloudify_dsl_1_3 or newer',
      [...path, 'capabilities'],
      { code: DSL_ERROR_CODES.versionMismatch, locate },
    );
  }
  if (scalable && deploy !== undefined) {
    throw dslError(
      'instances.deploy and capabilities.scalable cannot be used together',
      [...path, 'instances'],
      {
        code: DSL_ERROR_CODES.deployWithCapabilities,
        locate,
      },
    );
  }
  const given = isObject(scalable?.properties) ? scalable.properties : {};
  const count = (value: Json | undefined, fallback: number, key: string): number => {
    if (value === undefined || value === null) return fallback;
    if (value === 'UNBOUNDED') return UNBOUNDED;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw dslError(
        `${key} must be an integer`,
        [...path, 'capabilities', 'scalable', 'properties', key],
        { locate },
      );
    }
    return value;
  };
  const defaultInstances = count(given.default_instances ?? deploy, 1, 'default_instances');
  const min = count(given.min_instances, 0, 'min_instances');
  const max = count(given.max_instances, UNBOUNDED, 'max_instances');
  checkCounts(defaultInstances, min, max, path, locate);
  return {
    default_instances: defaultInstances,
    min_instances: min,
    max_instances: max,
    current_instances: defaultInstances,
    planned_instances: defaultInstances,
  };
}

/** default ≥ min ≥ 0 and, unless unbounded, default ≤ max (code 206). */
export function checkCounts(
  defaultInstances: number,
  min: number,
  max: number,
  path: (string | number)[],
  locate?: Locate,
): void {
  const bad =
    defaultInstances < 0 ||
    min < 0 ||
    (max !== UNBOUNDED && (max < 0 || defaultInstances > max || min > max)) ||
    defaultInstances < min;
  if (bad) {
    throw dslError(
      `invalid instance counts: default_instances=${defaultInstances}, min_instances=${min}, max_instances=${max}`,
      path,
      { code: DSL_ERROR_CODES.invalidInstanceCounts, locate },
    );
  }
}

/** host_id: the node itself when its type is a Compute, else its container's host (or null). */
function assignHosts(nodes: PlanNode[], ctx: NodeBuildContext): void {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const resolved = new Map<string, string | null>();
  const hostOf = (node: PlanNode, seen: Set<string>): string | null => {
    const known = resolved.get(node.id);
    if (known !== undefined) return known;
    if (seen.has(node.id)) {
      throw dslError(
        `contained_in cycle through '${node.id}'`,
        ['node_templates', node.id, 'relationships'],
        {
          code: DSL_ERROR_CODES.cycle,
          locate: ctx.locate,
        },
      );
    }
    seen.add(node.id);
    let host: string | null = null;
    if (node.type_hierarchy.includes(COMPUTE_TYPE)) host = node.id;
    else {
      const container = node.relationships.find((rel) => rel.type_hierarchy.includes(CONTAINED_IN));
      const target = container ? byId.get(container.target_id) : undefined;
      if (target) host = hostOf(target, seen);
    }
    resolved.set(node.id, host);
    return host;
  };
  for (const node of nodes) node.host_id = hostOf(node, new Set());
}

/**
 * Each node's `plugins` are those its operations (and the relationship sides run on it) use, one
 * per plugin and executor; hosts get `plugins_to_install` (host_agent plugins of nodes on them);
 * `deployment_plugins_to_install` are the central_deployment_agent ones.
 */
function assignPlugins(nodes: PlanNode[], ctx: NodeBuildContext): void {
  const operationSets = new Map<string, Record<string, JsonObject>[]>(
    nodes.map((n) => [n.id, [n.operations]]),
  );
  for (const node of nodes) {
    for (const rel of node.relationships) {
      operationSets.get(node.id)?.push(rel.source_operations);
      operationSets.get(rel.target_id)?.push(rel.target_operations);
    }
  }
  for (const node of nodes) node.plugins = pluginsOf(operationSets.get(node.id) ?? [], ctx);
  for (const node of nodes) {
    const onThisHost = new Map<string, JsonObject>();
    if (node.host_id === node.id) {
      for (const other of nodes) {
        if (other.host_id !== node.id) continue;
        for (const plugin of other.plugins)
          if (plugin.executor === HOST_AGENT) onThisHost.set(String(plugin.name), plugin);
      }
    }
    node.plugins_to_install = [...onThisHost.values()];
    const central = new Map<string, JsonObject>();
    for (const plugin of node.plugins)
      if (plugin.executor === CENTRAL_DEPLOYMENT_AGENT) central.set(String(plugin.name), plugin);
    node.deployment_plugins_to_install = [...central.values()];
    const hostAgentPlugin = node.plugins.find((plugin) => plugin.executor === HOST_AGENT);
    if (!node.host_id && hostAgentPlugin) {
      throw dslError(
        `node '${node.id}' is not contained in a host but uses plugin '${String(hostAgentPlugin.name)}' with executor host_agent`,
        ['node_templates', node.id],
        { code: DSL_ERROR_CODES.missingHostRelationship, locate: ctx.locate },
      );
    }
  }
}

function pluginsOf(
  operationSets: Record<string, JsonObject>[],
  ctx: NodeBuildContext,
): JsonObject[] {
  const plugins = new Map<string, JsonObject>();
  for (const operations of operationSets) {
    for (const op of Object.values(operations)) {
      const name = op.plugin;
      if (typeof name !== 'string' || !name) continue;
      const key = `${name}\u0000${String(op.executor)}`;
      if (!plugins.has(key))
        plugins.set(key, { ...ctx.operations.plugins[name], executor: op.executor });
    }
  }
  return [...plugins.values()];
}
