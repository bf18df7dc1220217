import { DslError } from '../errors';
import { isObject, Json, JsonObject, jsonEqual } from '../json';
import { Call, formatPath, parseCall } from './catalog';

type Path = (string | number)[];

/** Visits every call in a value, inner calls (in arguments) before the call holding them. */
function visitCalls(value: Json, path: Path, visit: (call: Call, path: Path) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => visitCalls(item, [...path, i], visit));
    return;
  }
  if (!isObject(value)) return;
  for (const key of Object.keys(value)) visitCalls(value[key], [...path, key], visit);
  const call = parseCall(value);
  if (call) visit(call, path);
}

/**
 * Names of the secrets a value reads with get_secret, for the plan's `requirements.secrets`. Only
 * names written literally count; a name computed at runtime cannot be checked before deploying.
 */
export function collectSecrets(...values: Json[]): string[] {
  const names = new Set<string>();
  for (const value of values) {
    visitCalls(value, [], (call) => {
      if (call.name !== 'get_secret') return;
      const name = Array.isArray(call.args) ? call.args[0] : call.args;
      if (typeof name === 'string') names.add(name);
    });
  }
  return [...names];
}

/**
 * The capability paths read from the parent environment with get_environment_capability, for the
 * plan's `requirements.parent_capabilities`: `cap` becomes `[cap]`, `[cap, key]` stays as written.
 */
export function collectParentCapabilities(...values: Json[]): Json[] {
  const paths: Json[] = [];
  for (const value of values) {
    visitCalls(value, [], (call) => {
      if (call.name !== 'get_environment_capability') return;
      const path: Json = typeof call.args === 'string' ? [call.args] : call.args;
      if (!paths.some((known) => jsonEqual(known, path))) paths.push(path);
    });
  }
  return paths;
}

/** Where a function creating an inter-deployment dependency was written. */
export type IddScope =
  | { kind: 'node'; node: string }
  | { kind: 'relationship'; source: string; target: string; relationshipType: string }
  | { kind: 'other' };

/** A get_capability found in the plan, before it is tied to node instances. */
export interface InterDeploymentFunction {
  /** `<path of the call>.get_capability`, e.g. `outputs.o.value.get_capability`. */
  function_identifier: string;
  /** [deployment id, or null when computed at runtime; the first argument as written]. */
  target_deployment: [string | null, Json];
  scope: IddScope;
}

/**
 * The get_capability calls of a value (they make the deployment depend on another one). Run it on
 * the plan after plan-time evaluation, so ids given by get_input are already literal. `path` is
 * where the value sits (`['outputs', 'o', 'value']`).
 */
export function collectInterDeploymentFunctions(
  value: Json,
  path: (string | number)[],
  scope: IddScope = { kind: 'other' },
): InterDeploymentFunction[] {
  const found: InterDeploymentFunction[] = [];
  visitCalls(value, path, (call, at) => {
    if (call.name !== 'get_capability' || !Array.isArray(call.args) || call.args.length === 0)
      return;
    const first = call.args[0];
    found.push({
      function_identifier: formatPath([...at, call.name]),
      target_deployment: [parseCall(first) || typeof first !== 'string' ? null : first, first],
      scope,
    });
  });
  return found;
}

/** What expandInterDeploymentFunctions needs of a node instance. */
export interface IddNodeInstance {
  id: string;
  node_id: string;
  relationships: { target_id: string; target_name: string; type: string }[];
}

/**
 * The plan's `inter_deployment_functions`: one entry per node instance the function runs for,
 * with the context (`self`, `source`, `target` instance ids) its deployment id is evaluated in.
 * Functions outside nodes get an empty context; nodes without instances contribute nothing.
 */
export function expandInterDeploymentFunctions(
  functions: readonly InterDeploymentFunction[],
  nodeInstances: readonly IddNodeInstance[],
): JsonObject[] {
  const byNode = new Map<string, IddNodeInstance[]>();
  for (const instance of nodeInstances) {
    const list = byNode.get(instance.node_id) ?? [];
    list.push(instance);
    byNode.set(instance.node_id, list);
  }
  const out: JsonObject[] = [];
  for (const fn of functions) {
    const base = {
      function_identifier: fn.function_identifier,
      target_deployment: [...fn.target_deployment],
    };
    for (const context of contextsOf(fn.scope, byNode)) out.push({ ...base, context });
  }
  return out;
}

function contextsOf(scope: IddScope, byNode: Map<string, IddNodeInstance[]>): JsonObject[] {
  if (scope.kind === 'other') return [{}];
  if (scope.kind === 'node') return (byNode.get(scope.node) ?? []).map((ni) => ({ self: ni.id }));
  return (byNode.get(scope.source) ?? []).map((ni) => {
    const relationship = ni.relationships.find(
      (r) => r.target_name === scope.target && r.type === scope.relationshipType,
    );
    if (!relationship) {
      throw new DslError(
        `IDDs: relationship not found: ${ni.id} ${scope.relationshipType} ${scope.target}`,
      );
    }
    return { self: ni.id, source: ni.id, target: relationship.target_id };
  });
}
