/**
 * The part of JSON Schema that secret schemas use in practice: `type`, `enum`, `const`,
 * `properties`, `required`, `additionalProperties`, `items`, `minItems`/`maxItems`,
 * `minLength`/`maxLength`, `pattern`, `minimum`/`maximum`. Other keywords are ignored, so a
 * schema using them validates more loosely than Cloudify's `jsonschema` would.
 */
export type JsonSchema = Record<string, unknown>;

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
type JsonType = (typeof TYPES)[number];

/** A schema that is not one: a non-object, or a `type` naming no JSON type. */
export class InvalidSchemaError extends Error {}

function typeOf(value: unknown): JsonType[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number')
    return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'string') return ['string'];
  if (typeof value === 'boolean') return ['boolean'];
  return typeof value === 'object' ? ['object'] : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Throws InvalidSchemaError when `schema` (or a nested one) is malformed. */
export function checkSchema(schema: unknown): asserts schema is JsonSchema {
  if (!isObject(schema)) throw new InvalidSchemaError('a schema must be an object');
  const types = schema.type === undefined ? [] : [schema.type].flat();
  for (const type of types) {
    if (!TYPES.includes(type as JsonType)) {
      throw new InvalidSchemaError(`${JSON.stringify(type)} is not a valid type`);
    }
  }
  if (schema.properties !== undefined) {
    if (!isObject(schema.properties)) throw new InvalidSchemaError('properties must be an object');
    Object.values(schema.properties).forEach(checkSchema);
  }
  if (isObject(schema.items)) checkSchema(schema.items);
  if (isObject(schema.additionalProperties)) checkSchema(schema.additionalProperties);
  if (schema.required !== undefined && !Array.isArray(schema.required)) {
    throw new InvalidSchemaError('required must be an array');
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) {
    throw new InvalidSchemaError('enum must be an array');
  }
}

/** The first violation of `schema` by `value`, or undefined when it conforms. */
export function schemaViolation(value: unknown, schema: JsonSchema, path = ''): string | undefined {
  const where = path ? ` at ${path}` : '';
  const shown = JSON.stringify(value);
  if (schema.type !== undefined) {
    const allowed = [schema.type].flat() as JsonType[];
    if (!typeOf(value).some((type) => allowed.includes(type))) {
      return `${shown} is not of type ${allowed.map((t) => `'${t}'`).join(', ')}${where}`;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => sameJson(option, value))) {
    return `${shown} is not one of ${JSON.stringify(schema.enum)}${where}`;
  }
  if ('const' in schema && !sameJson(schema.const, value)) {
    return `${JSON.stringify(schema.const)} was expected${where}`;
  }
  return (
    stringViolation(value, schema, where) ??
    numberViolation(value, schema, where) ??
    arrayViolation(value, schema, path) ??
    objectViolation(value, schema, path)
  );
}

function stringViolation(value: unknown, schema: JsonSchema, where: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) {
    return `${JSON.stringify(value)} is too short${where}`;
  }
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
    return `${JSON.stringify(value)} is too long${where}`;
  }
  if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    return `${JSON.stringify(value)} does not match ${JSON.stringify(schema.pattern)}${where}`;
  }
  return undefined;
}

function numberViolation(value: unknown, schema: JsonSchema, where: string): string | undefined {
  if (typeof value !== 'number') return undefined;
  if (typeof schema.minimum === 'number' && value < schema.minimum) {
    return `${value} is less than the minimum of ${schema.minimum}${where}`;
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    return `${value} is greater than the maximum of ${schema.maximum}${where}`;
  }
  return undefined;
}

function arrayViolation(value: unknown, schema: JsonSchema, path: string): string | undefined {
  if (!Array.isArray(value)) return undefined;
  const where = path ? ` at ${path}` : '';
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
    return `${JSON.stringify(value)} is too short${where}`;
  }
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
    return `${JSON.stringify(value)} is too long${where}`;
  }
  if (!isObject(schema.items)) return undefined;
  for (const [index, item] of value.entries()) {
    const violation = schemaViolation(item, schema.items, `${path}[${index}]`);
    if (violation) return violation;
  }
  return undefined;
}

function objectViolation(value: unknown, schema: JsonSchema, path: string): string | undefined {
  if (!isObject(value)) return undefined;
  const where = path ? ` at ${path}` : '';
  for (const name of (schema.required as unknown[] | undefined) ?? []) {
    if (typeof name === 'string' && !(name in value)) {
      return `'${name}' is a required property${where}`;
    }
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, item] of Object.entries(value)) {
    const sub = properties[name] ?? schema.additionalProperties;
    if (sub === false)
      return `Additional properties are not allowed ('${name}' was unexpected)${where}`;
    if (isObject(sub)) {
      const violation = schemaViolation(item, sub, `${path}.${name}`);
      if (violation) return violation;
    }
  }
  return undefined;
}
