import { dslError, Locate } from '../errors';
import { isObject, Json, jsonEqual, JsonObject } from '../json';

/** An operation as written in a type or template, normalised (Cloudify's operation mapping). */
export interface OperationDefinition extends JsonObject {
  implementation: string;
  inputs: JsonObject;
  executor: string | null;
  max_retries: number | null;
  retry_interval: number | null;
  timeout: number | null;
  timeout_recoverable: boolean | null;
}

/** interface name → operation name → definition. */
export type Interfaces = Record<string, Record<string, OperationDefinition>>;

const OPERATION_KEYS = new Set([
  'implementation',
  'inputs',
  'executor',
  'max_retries',
  'retry_interval',
  'timeout',
  'timeout_recoverable',
]);

export function noOp(): OperationDefinition {
  return operationOf('');
}

function operationOf(implementation: string, fields: JsonObject = {}): OperationDefinition {
  return {
    implementation,
    inputs: isObject(fields.inputs) ? fields.inputs : {},
    executor: (fields.executor as string | undefined) ?? null,
    max_retries: (fields.max_retries as number | undefined) ?? null,
    retry_interval: (fields.retry_interval as number | undefined) ?? null,
    timeout: (fields.timeout as number | undefined) ?? null,
    timeout_recoverable: (fields.timeout_recoverable as boolean | undefined) ?? null,
  };
}

export function isNoOp(operation: OperationDefinition): boolean {
  return jsonEqual(operation, noOp());
}

/** Reads an operation written as a string or a mapping; anything else is an error at `path`. */
export function readOperation(
  raw: Json,
  path: (string | number)[],
  locate?: Locate,
): OperationDefinition {
  if (raw === null || raw === '') return noOp();
  if (typeof raw === 'string') return operationOf(raw);
  if (!isObject(raw))
    throw dslError('an operation must be a string or a mapping', path, { locate });
  for (const key of Object.keys(raw)) {
    if (!OPERATION_KEYS.has(key))
      throw dslError(`unknown operation field '${key}'`, [...path, key], { locate });
  }
  const implementation = raw.implementation ?? '';
  if (typeof implementation !== 'string')
    throw dslError('implementation must be a string', [...path, 'implementation'], { locate });
  if (raw.inputs !== undefined && raw.inputs !== null && !isObject(raw.inputs))
    throw dslError('operation inputs must be a mapping', [...path, 'inputs'], { locate });
  checkNumber(raw.max_retries, [...path, 'max_retries'], locate, -1);
  checkNumber(raw.retry_interval, [...path, 'retry_interval'], locate, 0);
  checkNumber(raw.timeout, [...path, 'timeout'], locate, 0);
  if (raw.executor !== undefined && raw.executor !== null && typeof raw.executor !== 'string')
    throw dslError('executor must be a string', [...path, 'executor'], { locate });
  return operationOf(implementation, raw);
}

function checkNumber(
  value: Json | undefined,
  path: (string | number)[],
  locate: Locate | undefined,
  min: number,
) {
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || value < min)
    throw dslError(`must be a number not below ${min}`, path, { locate });
}

/** Reads `interfaces: {name: {op: definition}}`. */
export function readInterfaces(
  raw: Json | undefined,
  path: (string | number)[],
  locate?: Locate,
): Interfaces {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw dslError('interfaces must be a mapping', path, { locate });
  const interfaces: Interfaces = {};
  for (const [name, operations] of Object.entries(raw)) {
    if (operations === null) {
      interfaces[name] = {};
      continue;
    }
    if (!isObject(operations))
      throw dslError('an interface must be a mapping of operations', [...path, name], { locate });
    interfaces[name] = {};
    for (const [op, definition] of Object.entries(operations)) {
      interfaces[name][op] = readOperation(definition, [...path, name, op], locate);
    }
  }
  return interfaces;
}

/** Type over parent type: an operation redefined in the child replaces the parent's whole. */
export function mergeTypeInterfaces(parent: Interfaces, child: Interfaces): Interfaces {
  const merged: Interfaces = {};
  for (const name of new Set([...Object.keys(parent), ...Object.keys(child)])) {
    merged[name] = { ...(parent[name] ?? {}), ...(child[name] ?? {}) };
  }
  return merged;
}

/** Input schemas of a type's operation (`{x: {default: 1}}`) as values (`{x: 1}`). */
function schemaDefaults(
  inputs: JsonObject,
  path: (string | number)[],
  locate?: Locate,
  given: JsonObject = {},
): JsonObject {
  const values: JsonObject = {};
  for (const [name, schema] of Object.entries(inputs)) {
    if (name in given) continue;
    if (isObject(schema) && 'default' in schema) values[name] = schema.default;
    else
      throw dslError(`operation input '${name}' is missing a value`, [...path, name], {
        code: 107,
        locate,
      });
  }
  return { ...values, ...given };
}

/**
 * Template over type (and relationship instance over relationship type), as Cloudify merges them:
 * the template's implementation wins when it has one; when it keeps the type's implementation, the
 * type's input schemas give defaults to the template's inputs and unset fields are inherited.
 */
export function mergeTemplateOperation(
  typeOp: OperationDefinition | undefined,
  templateOp: OperationDefinition | undefined,
  path: (string | number)[],
  locate?: Locate,
): OperationDefinition {
  if (!typeOp) return templateOp ?? noOp();
  if (!templateOp)
    return { ...typeOp, inputs: schemaDefaults(typeOp.inputs, [...path, 'inputs'], locate) };
  if (isNoOp(templateOp)) return templateOp;
  if (isNoOp(typeOp)) return templateOp;
  const implementation = templateOp.implementation || typeOp.implementation;
  if (implementation !== typeOp.implementation) return { ...templateOp, implementation };
  const pick = <K extends keyof OperationDefinition>(key: K) => templateOp[key] ?? typeOp[key];
  return {
    implementation,
    inputs: schemaDefaults(typeOp.inputs, [...path, 'inputs'], locate, templateOp.inputs),
    executor: pick('executor'),
    max_retries: pick('max_retries'),
    retry_interval: pick('retry_interval'),
    timeout: pick('timeout'),
    timeout_recoverable: pick('timeout_recoverable'),
  };
}

/** Merges a template's interfaces over its type's, operation by operation. */
export function mergeTemplateInterfaces(
  typeInterfaces: Interfaces,
  templateInterfaces: Interfaces,
  path: (string | number)[],
  locate?: Locate,
): Interfaces {
  const merged: Interfaces = {};
  for (const name of new Set([
    ...Object.keys(typeInterfaces),
    ...Object.keys(templateInterfaces),
  ])) {
    const typeOps = typeInterfaces[name] ?? {};
    const templateOps = templateInterfaces[name] ?? {};
    merged[name] = {};
    for (const op of new Set([...Object.keys(typeOps), ...Object.keys(templateOps)])) {
      merged[name][op] = mergeTemplateOperation(
        typeOps[op],
        templateOps[op],
        [...path, name, op],
        locate,
      );
    }
  }
  return merged;
}
