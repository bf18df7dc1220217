import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { cloneJson, isObject, Json, JsonObject } from '../json';
import { parseArgs, ParsedArgs, SYS_PROPERTIES } from './args';
import {
  Call,
  containsIntrinsicFunction,
  formatPath,
  makeCall,
  parseCall,
  RUNTIME_FUNCTION_NAMES,
} from './catalog';
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

export type FunctionScope =
  | 'node_properties'
  | 'operation_inputs'
  | 'relationship_properties'
  | 'relationship_operation_inputs'
  | 'outputs'
  | 'capabilities'
  | 'policies'
  | 'groups'
  | 'workflow_parameters'
  | 'inputs_default'
  | 'labels';

export interface StaticContext {
  scope: FunctionScope;
  /** Where the value sits, for errors. */
  path: (string | number)[];
  locate?: Locate;
  /** Node template name SELF stands for (node scopes). */
  self?: string;
  /** Node template names SOURCE and TARGET stand for (relationship scopes). */
  source?: string;
  target?: string;
  /** Input values (after defaults). */
  inputs: JsonObject;
  /** Raw properties of a node template, undefined for an unknown node; they may hold functions themselves. */
  nodeProperties(nodeName: string): JsonObject | undefined;
  /** The blueprint's `definitions_version` numbers ([1, 3] for cloudify_dsl_1_3); enables concat/merge checks. */
  definitionsVersion?: readonly number[];
}

const NODE_SCOPES: ReadonlySet<FunctionScope> = new Set<FunctionScope>([
  'node_properties',
  'operation_inputs',
]);
const RELATIONSHIP_SCOPES: ReadonlySet<FunctionScope> = new Set<FunctionScope>([
  'relationship_properties',
  'relationship_operation_inputs',
]);
/** Values fixed when the deployment is created, before any node instance exists. */
const NO_ATTRIBUTE_SCOPES: ReadonlySet<FunctionScope> = new Set<FunctionScope>([
  'labels',
  'workflow_parameters',
  'inputs_default',
]);

/** Nested evaluations allowed before we call it a cycle (Cloudify stops at 50 too). */
const MAX_DEPTH = 50;

/** Where the evaluator stands: the scope and what SELF/SOURCE/TARGET mean there. */
interface Frame {
  scope: FunctionScope;
  self?: string;
  source?: string;
  target?: string;
}

type Path = (string | number)[];

/** A get_property result, or the note that it can only be resolved at runtime. */
type Resolution = { value: Json } | { deferred: true };

/**
 * Evaluates get_input, get_property and concat/merge/string_* whose arguments are static; leaves
 * runtime functions (get_attribute, get_secret, get_capability, get_environment_capability, get_sys,
 * get_label, and anything containing them) in place as their dicts, with their own arguments
 * evaluated. Validates: unknown input, get_property path not found (code 101), SELF/SOURCE/TARGET
 * where not allowed and get_attribute where no instance can exist yet (code 219), cycles (code 100).
 */
export function evaluateStatic(value: Json, ctx: StaticContext): Json {
  return new StaticEvaluator(ctx).evaluate(
    value,
    { scope: ctx.scope, self: ctx.self, source: ctx.source, target: ctx.target },
    ctx.path,
    0,
  );
}

class StaticEvaluator {
  /** Node property paths already resolved, so shared references are evaluated once. */
  private readonly resolved = new Map<string, Resolution>();
  /** Node property paths being resolved right now: meeting one again is a cycle. */
  private readonly resolving: string[] = [];

  constructor(private readonly ctx: StaticContext) {}

  evaluate(value: Json, frame: Frame, at: Path, depth: number): Json {
    const call = parseCall(value);
    if (call) return this.evaluateCall(call, frame, at, depth);
    if (Array.isArray(value))
      return value.map((item, i) => this.evaluate(item, frame, [...at, i], depth));
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const key of Object.keys(value))
        out[key] = this.evaluate(value[key], frame, [...at, key], depth);
      return out;
    }
    return value;
  }

  private fail(at: Path, code?: number): (message: string) => never {
    return (message: string) => {
      throw dslError(message, at, { code, locate: this.ctx.locate });
    };
  }

  private evaluateCall(call: Call, frame: Frame, at: Path, depth: number): Json {
    if (depth > MAX_DEPTH) {
      throw dslError(
        `The recursion limit (${MAX_DEPTH}) has been reached while evaluating ${formatPath(at)}`,
        at,
        {
          code: DSL_ERROR_CODES.cycle,
          locate: this.ctx.locate,
        },
      );
    }
    // Shape errors are reported on the call as written, before its arguments are touched.
    parseArgs(call, this.fail(at));
    // Inside-out: arguments first, so `{get_input: {concat: [...]}}` sees the joined name.
    const args = this.evaluate(call.args, frame, [...at, call.name], depth + 1);
    const parsed = parseArgs({ ...call, args }, this.fail(at), true);
    if (RUNTIME_FUNCTION_NAMES.has(call.name)) {
      this.validateRuntimeCall(parsed, frame, at);
      return makeCall(call, args);
    }
    const unresolved = containsIntrinsicFunction(args);
    switch (parsed.name) {
      case 'get_input':
        if (unresolved) return this.unresolved(call, args, at);
        return this.getInput(parsed.input, parsed.keys, call.returnType, frame, at, depth);
      case 'get_property': {
        if (unresolved) return this.unresolved(call, args, at);
        const result = this.getProperty(parsed.node, parsed.path, frame, at, depth);
        return 'value' in result ? result.value : makeCall(call, args);
      }
      case 'concat':
        this.requireVersion('concat', [1, 1], at);
        return unresolved ? makeCall(call, args) : concatValues(parsed.items);
      case 'merge':
        this.requireVersion('merge', [1, 3], at);
        // Items are checked even while others wait for runtime: a non-dict can never merge.
        for (const item of parsed.items) {
          if (!isObject(item))
            this.fail(at)(`Encountered non-dict element for merge: ${JSON.stringify(item)}`);
        }
        return unresolved ? makeCall(call, args) : mergeValues(parsed.items, this.fail(at));
      default:
        return unresolved ? makeCall(call, args) : applyStringFunction(parsed, this.fail(at));
    }
  }

  /** get_input and get_property need plain arguments at plan time: a runtime value cannot name an input. */
  private unresolved(call: Call, args: Json, at: Path): never {
    return this.fail(at)(
      `Unable to evaluate ${call.name}: found an unresolved argument: ${JSON.stringify(args)}`,
    );
  }

  private requireVersion(name: string, minimum: readonly number[], at: Path): void {
    const version = this.ctx.definitionsVersion;
    if (!version) return;
    for (let i = 0; i < minimum.length; i++) {
      const have = version[i] ?? 0;
      if (have > minimum[i]) return;
      if (have < minimum[i]) {
        this.fail(at)(
          `Using ${name} requires using dsl version ${minimum.join('_')} or greater, but found: ${version.join('_')}.`,
        );
      }
    }
  }

  private getInput(
    name: Json,
    keys: Json[],
    returnType: string | undefined,
    frame: Frame,
    at: Path,
    depth: number,
  ): Json {
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(this.ctx.inputs, name)) {
      return this.fail(at)(`get_input function references an unknown input '${String(name)}'.`);
    }
    const found = lookup(this.ctx.inputs[name], keys);
    if (!found.found) return this.fail(at)(inputMissMessage([name, ...keys], found.miss));
    checkReturnType(
      found.value,
      returnType,
      name,
      at,
      this.fail(at, DSL_ERROR_CODES.inputViolatesDataType),
    );
    // An input value may itself hold functions (a default using get_secret, say).
    return this.evaluate(cloneJson(found.value), frame, at, depth + 1);
  }

  /** Which node template a SELF/SOURCE/TARGET or literal name refers to, checking it is allowed here. */
  private nodeNameOf(ref: Json, frame: Frame, at: Path): string {
    if (ref === 'SELF') {
      if (!NODE_SCOPES.has(frame.scope) || frame.self === undefined) {
        return this.notPermitted(
          `SELF can only be used in a context of node template but appears in ${frame.scope}.`,
          at,
        );
      }
      return frame.self;
    }
    if (ref === 'SOURCE' || ref === 'TARGET') {
      const name = ref === 'SOURCE' ? frame.source : frame.target;
      if (!RELATIONSHIP_SCOPES.has(frame.scope) || name === undefined) {
        return this.notPermitted(
          `${ref} can only be used within a relationship but is used in ${formatPath(at)}`,
          at,
        );
      }
      return name;
    }
    if (typeof ref !== 'string')
      return this.fail(at)(`get_property: node name must be a string, got ${JSON.stringify(ref)}`);
    return ref;
  }

  private notPermitted(message: string, at: Path): never {
    return this.fail(at, DSL_ERROR_CODES.functionNotPermitted)(message);
  }

  private getProperty(ref: Json, path: Json[], frame: Frame, at: Path, depth: number): Resolution {
    const nodeName = this.nodeNameOf(ref, frame, at);
    if (this.ctx.nodeProperties(nodeName) === undefined) {
      return this.fail(at)(`get_property function node reference '${nodeName}' does not exist.`);
    }
    return this.resolveProperty(nodeName, path, at, depth);
  }

  /**
   * The fully evaluated value at `path` in a node's properties. Functions met on the way are
   * evaluated in that node's own context (SELF is that node), through this same method, so a
   * property that needs itself is caught as a cycle.
   */
  private resolveProperty(nodeName: string, path: Json[], at: Path, depth: number): Resolution {
    const key = `${nodeName}\u0000${JSON.stringify(path)}`;
    const known = this.resolved.get(key);
    if (known) return 'value' in known ? { value: cloneJson(known.value) } : known;
    if (this.resolving.includes(key)) {
      const chain = [...this.resolving.slice(this.resolving.indexOf(key)), key]
        .map(describeKey)
        .join(' -> ');
      throw dslError(`Circular get_property reference: ${chain}`, at, {
        code: DSL_ERROR_CODES.cycle,
        locate: this.ctx.locate,
      });
    }
    this.resolving.push(key);
    try {
      const result = this.walkProperty(nodeName, path, at, depth);
      this.resolved.set(key, result);
      return result;
    } finally {
      this.resolving.pop();
    }
  }

  private walkProperty(nodeName: string, path: Json[], at: Path, depth: number): Resolution {
    const frame: Frame = { scope: 'node_properties', self: nodeName };
    let value: Json = this.ctx.nodeProperties(nodeName) ?? {};
    for (let i = 0; i < path.length; i++) {
      if (parseCall(value)) {
        const prefix = this.resolveProperty(nodeName, path.slice(0, i), at, depth + 1);
        // The path runs through a runtime value (a secret, an attribute): only runtime can follow it.
        if (!('value' in prefix) || parseCall(prefix.value)) return { deferred: true };
        value = prefix.value;
      }
      const next = step(value, path[i]);
      if (!next.found) {
        return this.fail(
          at,
          DSL_ERROR_CODES.illegalValueAccess,
        )(propertyMissMessage(nodeName, path, i, next.kind, value, at));
      }
      value = next.value;
    }
    const where = [
      'node_templates',
      nodeName,
      'properties',
      ...path.map((p) => (typeof p === 'number' ? p : String(p))),
    ];
    return { value: this.evaluate(cloneJson(value), frame, where, depth + 1) };
  }

  private validateRuntimeCall(parsed: ParsedArgs, frame: Frame, at: Path): void {
    if (parsed.name === 'get_sys') validateSys(parsed.entity, parsed.property, this.fail(at));
    if (
      parsed.name !== 'get_attribute' &&
      parsed.name !== 'get_attributes_list' &&
      parsed.name !== 'get_attributes_dict'
    )
      return;
    if (NO_ATTRIBUTE_SCOPES.has(frame.scope)) {
      this.notPermitted(
        `${parsed.name} cannot be used in ${frame.scope}: its value is fixed before any node instance exists.`,
        at,
      );
    }
    // A reference still computed at runtime (a function) cannot be checked now.
    if (parseCall(parsed.node)) return;
    this.validateAttributeRef(parsed.name, parsed.node, frame, at);
  }

  private validateAttributeRef(name: string, ref: Json, frame: Frame, at: Path): void {
    if (ref === 'SELF' || ref === 'SOURCE' || ref === 'TARGET') {
      const allowed = NODE_SCOPES.has(frame.scope)
        ? ref === 'SELF'
        : RELATIONSHIP_SCOPES.has(frame.scope)
          ? ref !== 'SELF'
          : false;
      if (!allowed)
        this.notPermitted(`${ref} cannot be used with ${name} function in ${formatPath(at)}`, at);
      return;
    }
    if (typeof ref === 'string' && this.ctx.nodeProperties(ref) === undefined) {
      this.fail(at)(`${name} function node reference '${ref}' does not exist.`);
    }
  }
}

function applyStringFunction(parsed: ParsedArgs, fail: (message: string) => never): Json {
  switch (parsed.name) {
    case 'string_find':
      return stringFind(parsed.items, fail);
    case 'string_replace':
      return stringReplace(parsed.items, fail);
    case 'string_split':
      return stringSplit(parsed.items, fail);
    case 'string_lower':
    case 'string_upper':
      return stringCase(parsed.name, parsed.input, fail);
    default:
      return fail(`${parsed.name} is not a string function`);
  }
}

/** get_sys names a fixed set of entities and properties; literal ones are checked at plan time. */
export function validateSys(entity: Json, property: Json, fail: (message: string) => never): void {
  if (parseCall(entity)) return;
  const known = typeof entity === 'string' ? SYS_PROPERTIES[entity] : undefined;
  if (!known) fail(`get_sys function unable to determine entity: ${JSON.stringify(entity)}`);
  if (parseCall(property)) return;
  if (typeof property !== 'string' || !known?.includes(property)) {
    fail(
      `get_sys function unable to determine property: ${String(entity)} ${JSON.stringify(property)}`,
    );
  }
}

function describeKey(key: string): string {
  const [node, path] = key.split('\u0000');
  const items = JSON.parse(path) as Json[];
  return [node, ...items.map(String)].join('.');
}

/** Cloudify's wording when a get_input key/index path does not lead anywhere. */
export function inputMissMessage(items: Json[], miss: LookupMiss): string {
  const upTo = attributePath(items.slice(0, miss.at + 1));
  const attr = items[miss.at + 1];
  switch (miss.kind) {
    case 'missing-key':
      return `Input attribute '${String(attr)}' of '${upTo}', doesn't exist.`;
    case 'not-an-index':
      return `Item in index ${miss.at} in the get_input arguments list [${items.map(String).join(', ')}] is expected to be an int but got ${typeof attr}.`;
    case 'out-of-range':
      return `List size of '${upTo}' is ${miss.size} but index ${String(attr)} is retrieved.`;
    case 'not-a-container':
      return `Unable to evaluate get_input function: Object ${upTo} has no attribute ${String(attr)}`;
  }
}

function propertyMissMessage(
  nodeName: string,
  path: Json[],
  index: number,
  kind: LookupMiss['kind'],
  value: Json,
  at: Path,
): string {
  const full = `'${nodeName}.properties.${path.map(String).join('.')}'`;
  const from = `'${formatPath(at)}'`;
  if (kind === 'not-an-index') {
    return `Node template property ${full} referenced from ${from} is expected ${String(path[index])} to be an int but it is a ${typeof path[index] === 'string' ? 'str' : typeof path[index]}.`;
  }
  if (kind === 'out-of-range' && Array.isArray(value)) {
    return `Node template property ${full} referenced from ${from} index is out of range. Got ${String(path[index])} but list size is ${value.length}.`;
  }
  return `Node template property ${full} referenced from ${from} doesn't exist.`;
}

/** A `{get_input: x, type: t}` call promises a simple type; other types are the data-type checker's job. */
function checkReturnType(
  value: Json,
  type: string | undefined,
  input: string,
  at: Path,
  fail: (message: string) => never,
): void {
  if (type === undefined) return;
  const ok: Record<string, (v: Json) => boolean> = {
    integer: (v) => typeof v === 'number' && Number.isInteger(v),
    float: (v) => typeof v === 'number',
    boolean: (v) => typeof v === 'boolean',
    string: (v) => typeof v === 'string',
  };
  const check = ok[type];
  if (check && !check(value)) {
    fail(
      `Value '${JSON.stringify(value)}' of input '${input}' does not match data type declared for '${formatPath(at)}': '${type}'.`,
    );
  }
}
