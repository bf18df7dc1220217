import { DSL_ERROR_CODES, DslError } from '../errors';
import { cloneJson, isObject, Json, JsonObject } from '../json';
import { attributeIdentifier, parseArgs, ParsedArgs } from './args';
import { Call, formatPath, parseCall } from './catalog';
import {
  attributePath,
  concatValues,
  lookup,
  LookupMiss,
  mergeValues,
  stringCase,
  stringFind,
  stringReplace,
  stringSplit,
  step,
} from './pure';
import { inputMissMessage, validateSys } from './static';

/** A node instance as runtime evaluation needs it. */
export interface RuntimeNodeInstance {
  id: string;
  node_id: string;
  host_id: string | null;
  runtime_properties: JsonObject;
  relationships: { target_id: string; target_name: string; type: string }[];
  scaling_groups?: { name: string; id: string }[];
  /** The instance's index, returned by `get_attribute: [x, node_instance_index]`. */
  index?: number;
}

/** A node as runtime evaluation needs it; `relationships` lets scaling-group resolution find containers. */
export interface RuntimeNode {
  id: string;
  properties: JsonObject;
  relationships?: { target_id: string; type?: string; type_hierarchy?: string[] }[];
}

export interface RuntimeStorage {
  getNodeInstance(id: string): Promise<RuntimeNodeInstance | undefined>;
  getNodeInstances(nodeId: string): Promise<RuntimeNodeInstance[]>;
  getNode(nodeId: string): Promise<RuntimeNode | undefined>;
  getSecret(key: string): Promise<Json | undefined>;
  getCapability(deploymentId: string, capability: string): Promise<Json | undefined>;
  getEnvironmentCapability?(capability: string): Promise<Json | undefined>;
  getSys(entity: string, property: string): Promise<Json | undefined>;
  getLabel(key: string): Promise<string[] | undefined>;
  /** The deployment's input values; needed only when get_input was kept for runtime. */
  getInput?(name: string): Promise<Json | undefined>;
  /** get_group_capability: [group id, capability (or list of them), key...]. */
  getGroupCapability?(path: Json[]): Promise<Json | undefined>;
  /** get_consumers: `ids`, `names` or `count` of the deployments consuming this one. */
  getConsumers?(property: string): Promise<Json>;
}

/** Node INSTANCE ids SELF, SOURCE and TARGET stand for. */
export interface RuntimeContext {
  self?: string;
  source?: string;
  target?: string;
}

export interface RuntimeOptions {
  /** Where the payload sits, for messages (Cloudify says `payload`). */
  path?: (string | number)[];
  /**
   * Outputs are shown even when an instance cannot be picked: the failure becomes the text
   * `<ERROR: …>` instead of an exception.
   */
  attributeErrorsAsText?: boolean;
}

const CONTAINED_IN = 'cloudify.relationships.contained_in';
/** Nested evaluations allowed before we call it a cycle (as Cloudify's recursion limit). */
const MAX_DEPTH = 50;

type Path = (string | number)[];

/**
 * Evaluates every intrinsic function of `payload` against stored deployment state, inside-out;
 * returns a new value (the payload is not changed).
 */
export async function evaluateFunctions(
  payload: Json,
  context: RuntimeContext,
  storage: RuntimeStorage,
  options: RuntimeOptions = {},
): Promise<Json> {
  const evaluator = new RuntimeEvaluator(storage, options.attributeErrorsAsText ?? false);
  return evaluator.evaluate(payload, context, options.path ?? ['payload'], 0);
}

/**
 * Evaluates a deployment's outputs (`{name: {value, description}}`) to `{name: value}`. Outputs
 * whose value is a get_secret of a secret that does not exist are left out, and get_attribute
 * failures to pick an instance show as `<ERROR: …>`, as Cloudify does.
 */
export async function evaluateOutputs(
  outputs: JsonObject,
  storage: RuntimeStorage,
): Promise<JsonObject> {
  return evaluateDefinitions(outputs, storage, 'outputs', true);
}

/** Evaluates a deployment's capabilities (`{name: {value}}`) to `{name: value}`, like outputs. */
export async function evaluateCapabilities(
  capabilities: JsonObject,
  storage: RuntimeStorage,
): Promise<JsonObject> {
  return evaluateDefinitions(capabilities, storage, 'capabilities', false);
}

async function evaluateDefinitions(
  defs: JsonObject,
  storage: RuntimeStorage,
  section: string,
  errorsAsText: boolean,
): Promise<JsonObject> {
  const values: JsonObject = {};
  for (const [name, def] of Object.entries(defs)) {
    const value = isObject(def) ? (def.value ?? null) : null;
    if (await namesMissingSecret(value, storage)) continue;
    values[name] = value;
  }
  const evaluator = new RuntimeEvaluator(storage, errorsAsText);
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(values))
    out[name] = await evaluator.evaluate(value, {}, [section, name], 0);
  return out;
}

/** True for a value that is itself `{get_secret: name}` (or `[name, ...]`) naming a missing secret. */
async function namesMissingSecret(value: Json, storage: RuntimeStorage): Promise<boolean> {
  const call = parseCall(value);
  if (!call || call.name !== 'get_secret') return false;
  const name = Array.isArray(call.args) ? call.args[0] : call.args;
  if (typeof name !== 'string') return false;
  return (await storage.getSecret(name)) === undefined;
}

/** Failure to pick a node instance: the one error outputs may show as text. */
class InstanceResolutionError extends DslError {}

class RuntimeEvaluator {
  private readonly nodes = new Map<string, Promise<RuntimeNode | undefined>>();
  private readonly instances = new Map<string, Promise<RuntimeNodeInstance | undefined>>();
  private readonly instancesOfNode = new Map<string, Promise<RuntimeNodeInstance[]>>();
  private readonly secrets = new Map<string, Promise<Json | undefined>>();

  constructor(
    private readonly storage: RuntimeStorage,
    private readonly attributeErrorsAsText: boolean,
  ) {}

  async evaluate(value: Json, ctx: RuntimeContext, at: Path, depth: number): Promise<Json> {
    const call = parseCall(value);
    if (call) return this.evaluateCall(call, ctx, at, depth);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      for (let i = 0; i < value.length; i++)
        out.push(await this.evaluate(value[i], ctx, [...at, i], depth));
      return out;
    }
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const key of Object.keys(value))
        out[key] = await this.evaluate(value[key], ctx, [...at, key], depth);
      return out;
    }
    return value;
  }

  private failer(name: string, at: Path, code?: number): (message: string) => never {
    return (message: string) => {
      throw new DslError(`Unable to evaluate ${name} function: ${message}`, { path: at, code });
    };
  }

  private async evaluateCall(
    call: Call,
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    if (depth > MAX_DEPTH) {
      throw new DslError(
        `The recursion limit (${MAX_DEPTH}) has been reached while evaluating ${formatPath(at)}`,
        {
          path: at,
          code: DSL_ERROR_CODES.cycle,
        },
      );
    }
    const fail = this.failer(call.name, at);
    parseArgs(call, fail);
    const args = await this.evaluate(call.args, ctx, [...at, call.name], depth + 1);
    const parsed = parseArgs({ ...call, args }, fail, true);
    try {
      return await this.apply(parsed, ctx, at, depth);
    } catch (error) {
      if (error instanceof InstanceResolutionError && this.attributeErrorsAsText)
        return `<ERROR: ${error.message}>`;
      throw error;
    }
  }

  private async apply(
    parsed: ParsedArgs,
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const fail = this.failer(parsed.name, at);
    switch (parsed.name) {
      case 'get_input':
        return this.getInput(parsed.input, parsed.keys, ctx, at, depth);
      case 'get_property':
        return this.getProperty(parsed.node, parsed.path, ctx, at, depth);
      case 'get_attribute':
        return this.getAttribute(parsed.node, parsed.path, ctx, at, depth);
      case 'get_attributes_list':
        return this.getAttributesOfAll(parsed.name, parsed.node, [parsed.path], ctx, at, depth);
      case 'get_attributes_dict':
        return this.getAttributesOfAll(parsed.name, parsed.node, parsed.paths, ctx, at, depth);
      case 'get_secret':
        return this.getSecret(parsed.secret, parsed.keys, fail);
      case 'get_capability':
        return this.getCapability(parsed.path, fail);
      case 'get_group_capability':
        return this.getGroupCapability(parsed.path, fail);
      case 'get_environment_capability':
        return this.getEnvironmentCapability(parsed.path, fail);
      case 'get_sys':
        validateSys(parsed.entity, parsed.property, fail);
        return (await this.storage.getSys(String(parsed.entity), String(parsed.property))) ?? null;
      case 'get_label':
        return this.getLabel(parsed.key, parsed.index, fail);
      case 'get_consumers':
        if (!this.storage.getConsumers) return fail('consumers are not available here');
        return this.storage.getConsumers(parsed.property);
      case 'concat':
        return concatValues(parsed.items);
      case 'merge':
        return mergeValues(parsed.items, fail);
      case 'string_find':
        return stringFind(parsed.items, fail);
      case 'string_replace':
        return stringReplace(parsed.items, fail);
      case 'string_split':
        return stringSplit(parsed.items, fail);
      case 'string_lower':
      case 'string_upper':
        return stringCase(parsed.name, parsed.input, fail);
    }
  }

  // ---- storage, cached for one evaluation so a payload reading one node often asks once ----

  private node(id: string): Promise<RuntimeNode | undefined> {
    return cached(this.nodes, id, () => this.storage.getNode(id));
  }

  private instance(id: string): Promise<RuntimeNodeInstance | undefined> {
    return cached(this.instances, id, () => this.storage.getNodeInstance(id));
  }

  private instancesOf(nodeId: string): Promise<RuntimeNodeInstance[]> {
    return cached(this.instancesOfNode, nodeId, async () => {
      const found = await this.storage.getNodeInstances(nodeId);
      for (const instance of found) this.instances.set(instance.id, Promise.resolve(instance));
      return found;
    });
  }

  private secret(name: string): Promise<Json | undefined> {
    return cached(this.secrets, name, () => this.storage.getSecret(name));
  }

  // ---- functions ----

  private async getInput(
    name: Json,
    keys: Json[],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const fail = this.failer('get_input', at);
    if (typeof name !== 'string')
      return fail(`input name must be a string, got ${JSON.stringify(name)}`);
    const value = this.storage.getInput ? await this.storage.getInput(name) : undefined;
    if (value === undefined)
      return fail(`get_input function references an unknown input '${name}'.`);
    const found = lookup(value, keys);
    if (!found.found) return fail(inputMissMessage([name, ...keys], found.miss));
    return this.evaluate(cloneJson(found.value), ctx, at, depth + 1);
  }

  /** The node a SELF/SOURCE/TARGET reference or a node name stands for. */
  private async nodeIdOf(
    ref: Json,
    ctx: RuntimeContext,
    name: string,
    path: Json[],
    at: Path,
  ): Promise<string> {
    if (ref === 'SELF' || ref === 'SOURCE' || ref === 'TARGET') {
      const instance = await this.contextInstance(ref, ctx, name, path, at);
      return instance.node_id;
    }
    if (typeof ref !== 'string')
      return this.failer(name, at)(`node reference must be a string, got ${JSON.stringify(ref)}`);
    return ref;
  }

  private async contextInstance(
    ref: 'SELF' | 'SOURCE' | 'TARGET',
    ctx: RuntimeContext,
    name: string,
    path: Json[],
    at: Path,
  ): Promise<RuntimeNodeInstance> {
    const id = ref === 'SELF' ? ctx.self : ref === 'SOURCE' ? ctx.source : ctx.target;
    const fail = this.resolutionFailer(name, at);
    if (!id)
      return fail(
        `${ref} is missing in request context in ${formatPath(at)} for attribute ${JSON.stringify(path)}`,
      );
    const instance = await this.instance(id);
    if (!instance) return fail(`node instance '${id}' (${ref}) does not exist`);
    return instance;
  }

  private resolutionFailer(name: string, at: Path): (message: string) => never {
    return (message: string) => {
      throw new InstanceResolutionError(`Unable to evaluate ${name} function: ${message}`, {
        path: at,
      });
    };
  }

  private async getProperty(
    ref: Json,
    path: Json[],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const nodeId = await this.nodeIdOf(ref, ctx, 'get_property', path, at);
    const node = await this.node(nodeId);
    const fail = this.failer('get_property', at, DSL_ERROR_CODES.illegalValueAccess);
    if (!node) return fail(`Node ${nodeId} does not exist`);
    const found = await this.walk(node.properties, path, ctx, at, depth);
    if (!found.found) {
      return fail(
        `Node template property '${nodeId}.properties.${path.map(String).join('.')}' referenced from '${formatPath(at)}' doesn't exist.`,
      );
    }
    return this.evaluate(cloneJson(found.value), ctx, at, depth + 1);
  }

  /** Walks keys into a stored value, evaluating any function met on the way (a property may be one). */
  private async walk(
    root: Json,
    keys: Json[],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<{ found: true; value: Json } | { found: false }> {
    let value = root;
    for (const key of keys) {
      if (parseCall(value)) value = await this.evaluate(value, ctx, at, depth + 1);
      const next = step(value, key);
      if (!next.found) return { found: false };
      value = next.value;
    }
    return { found: true, value };
  }

  private async getAttribute(
    ref: Json,
    path: Json[],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const instance = await this.resolveInstance(ref, ctx, path, at);
    return this.attributeOf(instance, path, ctx, at, depth);
  }

  /**
   * A runtime property of the instance, else the special `node_instance_id`/`node_instance_index`,
   * else the node's property, else null. Functions in what is found run with SELF = that instance.
   */
  private async attributeOf(
    instance: RuntimeNodeInstance,
    path: Json[],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const own: RuntimeContext = { ...ctx, self: instance.id };
    let found = await this.walk(instance.runtime_properties ?? {}, path, own, at, depth);
    if (!found.found || found.value === null) {
      const special = specialAttribute(instance, path);
      if (special !== undefined) return special;
      const node = await this.node(instance.node_id);
      found = await this.walk(node?.properties ?? {}, path, own, at, depth);
    }
    if (!found.found || found.value === null) return null;
    return this.evaluate(cloneJson(found.value), own, at, depth + 1);
  }

  /** get_attributes_list / get_attributes_dict: the attribute(s) of every instance of a node. */
  private async getAttributesOfAll(
    name: 'get_attributes_list' | 'get_attributes_dict',
    ref: Json,
    paths: Json[][],
    ctx: RuntimeContext,
    at: Path,
    depth: number,
  ): Promise<Json> {
    const nodeId = await this.nodeIdOf(ref, ctx, name, paths[0], at);
    const instances = await this.instancesOf(nodeId);
    if (name === 'get_attributes_list') {
      const list: Json[] = [];
      for (const instance of instances)
        list.push(await this.attributeOf(instance, paths[0], ctx, at, depth));
      return list;
    }
    const byInstance: JsonObject = {};
    for (const instance of instances) {
      const values: JsonObject = {};
      for (const path of paths)
        values[attributeIdentifier(path)] = await this.attributeOf(instance, path, ctx, at, depth);
      byInstance[instance.id] = values;
    }
    return byInstance;
  }

  /** Which instance a get_attribute reads: the context's own, or the one instance of a node related to it. */
  private async resolveInstance(
    ref: Json,
    ctx: RuntimeContext,
    path: Json[],
    at: Path,
  ): Promise<RuntimeNodeInstance> {
    if (ref === 'SELF' || ref === 'SOURCE' || ref === 'TARGET')
      return this.contextInstance(ref, ctx, 'get_attribute', path, at);
    const fail = this.resolutionFailer('get_attribute', at);
    if (typeof ref !== 'string')
      return fail(`node reference must be a string, got ${JSON.stringify(ref)}`);
    const candidates = await this.instancesOf(ref);
    if (candidates.length === 0) return fail(`Node ${ref} has no instances.`);
    if (candidates.length === 1) return candidates[0];
    const picked =
      (await this.byRelationship(ref, candidates, ctx)) ??
      (await this.byScalingGroup(candidates, ctx)) ??
      (await this.byHost(candidates, ctx));
    if (picked) return picked;
    return fail(
      `More than one node instance found for node "${ref}". Cannot resolve a node instance unambiguously.`,
    );
  }

  /** The context instance relates to exactly one instance of the node. */
  private async byRelationship(
    nodeName: string,
    candidates: RuntimeNodeInstance[],
    ctx: RuntimeContext,
  ): Promise<RuntimeNodeInstance | undefined> {
    if (!ctx.self) return undefined;
    const self = await this.instance(ctx.self);
    const targets = new Set(
      (self?.relationships ?? []).filter((r) => r.target_name === nodeName).map((r) => r.target_id),
    );
    if (targets.size !== 1) return undefined;
    const [target] = targets;
    return candidates.find((c) => c.id === target);
  }

  /**
   * The smallest scaling group shared by the context instance and the node (counting the groups of
   * containers too); the one candidate in the same instance of that group.
   */
  private async byScalingGroup(
    candidates: RuntimeNodeInstance[],
    ctx: RuntimeContext,
  ): Promise<RuntimeNodeInstance | undefined> {
    const from = ctx.self
      ? [ctx.self]
      : [ctx.source, ctx.target].filter((id): id is string => Boolean(id));
    for (const contextId of from) {
      const picked = await this.inSameGroupInstance(contextId, candidates);
      if (picked) return picked;
    }
    return undefined;
  }

  private async inSameGroupInstance(
    contextId: string,
    candidates: RuntimeNodeInstance[],
  ): Promise<RuntimeNodeInstance | undefined> {
    const context = await this.instance(contextId);
    if (!context) return undefined;
    const contextGroups = await this.containingGroups(context);
    const candidateGroups = new Set(await this.containingGroups(candidates[0]));
    const shared = contextGroups.find((group) => candidateGroups.has(group));
    if (shared === undefined) return undefined;
    const groupInstance = await this.groupInstanceOf(context, shared);
    const matching: RuntimeNodeInstance[] = [];
    for (const candidate of candidates) {
      if ((await this.groupInstanceOf(candidate, shared)) === groupInstance)
        matching.push(candidate);
    }
    return matching.length === 1 ? matching[0] : undefined;
  }

  /** Groups the instance is in, its own first, then those of its containers outward. */
  private async containingGroups(instance: RuntimeNodeInstance, hops = 0): Promise<string[]> {
    const own = (instance.scaling_groups ?? []).map((group) => group.name);
    const parent = hops < MAX_DEPTH ? await this.parentOf(instance) : undefined;
    return parent ? [...own, ...(await this.containingGroups(parent, hops + 1))] : own;
  }

  private async groupInstanceOf(
    instance: RuntimeNodeInstance,
    group: string,
    hops = 0,
  ): Promise<string | undefined> {
    const own = (instance.scaling_groups ?? []).find((g) => g.name === group);
    if (own) return own.id;
    const parent = hops < MAX_DEPTH ? await this.parentOf(instance) : undefined;
    return parent ? this.groupInstanceOf(parent, group, hops + 1) : undefined;
  }

  /** The instance this one is contained in: by the node's contained_in relationship, else the instance's own. */
  private async parentOf(instance: RuntimeNodeInstance): Promise<RuntimeNodeInstance | undefined> {
    const node = await this.node(instance.node_id);
    const containedIn = (node?.relationships ?? []).find((r) =>
      (r.type_hierarchy ?? [r.type]).includes(CONTAINED_IN),
    );
    const relationship = containedIn
      ? instance.relationships?.find((r) => r.target_name === containedIn.target_id)
      : instance.relationships?.find((r) => r.type === CONTAINED_IN);
    return relationship ? this.instance(relationship.target_id) : undefined;
  }

  /** nestify's last resort: the one candidate on the same host as the context instance. */
  private async byHost(
    candidates: RuntimeNodeInstance[],
    ctx: RuntimeContext,
  ): Promise<RuntimeNodeInstance | undefined> {
    const contextId = ctx.self ?? ctx.source;
    if (!contextId) return undefined;
    const host = (await this.instance(contextId))?.host_id;
    if (!host) return undefined;
    const same = candidates.filter((c) => c.host_id === host);
    return same.length === 1 ? same[0] : undefined;
  }

  private async getSecret(
    name: Json,
    keys: Json[],
    fail: (message: string) => never,
  ): Promise<Json> {
    if (typeof name !== 'string')
      return fail(`secret name must be a string, got ${JSON.stringify(name)}`);
    const value = await this.secret(name);
    if (value === undefined) return fail(`Required secret '${name}' does not exist in this tenant`);
    if (keys.length === 0) return value;
    // The list form reads into a secret holding JSON text.
    let root: Json = value;
    if (typeof value === 'string') {
      try {
        root = JSON.parse(value) as Json;
      } catch (error) {
        return fail(
          `Could not parse secret "${name}" as json. Error was: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const found = lookup(root, keys);
    if (!found.found) {
      return fail(
        `Could not find "${String(keys[found.miss.at])}" in nested lookup on secret "${name}".`,
      );
    }
    return found.value;
  }

  private async getCapability(path: Json[], fail: (message: string) => never): Promise<Json> {
    const [deployment, capability, ...keys] = path;
    if (typeof deployment !== 'string' || typeof capability !== 'string') {
      return fail(
        `deployment id and capability name must be strings, got ${JSON.stringify(path.slice(0, 2))}`,
      );
    }
    const value = await this.storage.getCapability(deployment, capability);
    if (value === undefined)
      return fail(
        `Requested capability \`${capability}\` is not declared in deployment \`${deployment}\``,
      );
    const found = lookup(value, keys);
    if (!found.found) return fail(capabilityMissMessage(path, found.miss));
    return found.value;
  }

  private async getGroupCapability(path: Json[], fail: (message: string) => never): Promise<Json> {
    if (!this.storage.getGroupCapability)
      return fail('deployment group capabilities are not available here');
    const value = await this.storage.getGroupCapability(path);
    if (value === undefined) return fail(`group capability ${JSON.stringify(path)} does not exist`);
    return value;
  }

  private async getEnvironmentCapability(
    path: Json[],
    fail: (message: string) => never,
  ): Promise<Json> {
    const [capability, ...keys] = path;
    if (typeof capability !== 'string')
      return fail(`capability name must be a string, got ${JSON.stringify(capability)}`);
    const value = this.storage.getEnvironmentCapability
      ? await this.storage.getEnvironmentCapability(capability)
      : undefined;
    if (value === undefined)
      return fail(
        `Requested capability \`${capability}\` is not declared in the parent environment deployment`,
      );
    const found = lookup(value, keys);
    if (!found.found)
      return fail(
        `Attribute path ${attributePath(path)} does not exist in the parent environment's capabilities`,
      );
    return found.value;
  }

  private async getLabel(
    key: Json,
    index: number | undefined,
    fail: (message: string) => never,
  ): Promise<Json> {
    if (typeof key !== 'string')
      return fail(`label key must be a string, got ${JSON.stringify(key)}`);
    const values = await this.storage.getLabel(key);
    if (values === undefined) return fail(`The deployment has no label with the key \`${key}\``);
    if (index === undefined) return values;
    if (index >= values.length)
      return fail(
        `The values list of the label \`${key}\` has ${values.length} items; index ${index} is out of range`,
      );
    return values[index];
  }
}

function specialAttribute(instance: RuntimeNodeInstance, path: Json[]): Json | undefined {
  if (path.length !== 1) return undefined;
  if (path[0] === 'node_instance_id') return instance.id;
  if (path[0] === 'node_instance_index') return instance.index ?? null;
  return undefined;
}

function capabilityMissMessage(path: Json[], miss: LookupMiss): string {
  const deployment = String(path[0]);
  const at = miss.at + 2;
  const attr = path[at];
  const upTo = attributePath(path.slice(1, at));
  switch (miss.kind) {
    case 'missing-key':
      return `Attribute '${String(attr)}' doesn't exist in '${upTo}' in deployment '${deployment}'.`;
    case 'not-an-index':
      return `Item in index ${at} in the get_capability arguments list [${path.map(String).join(', ')}] is expected to be an int but got ${typeof attr}.`;
    case 'out-of-range':
      return `List size of '${upTo}' is ${miss.size}, in deployment '${deployment}', but index ${String(attr)} is retrieved.`;
    case 'not-a-container':
      return `Object ${upTo}, in capability '${String(path[1])}' in deployment '${deployment}', has no attribute ${String(attr)}`;
  }
}

function cached<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let entry = cache.get(key);
  if (!entry) {
    entry = load();
    cache.set(key, entry);
  }
  return entry;
}
