import { DSL_ERROR_CODES } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import { pyStr, pyTruthy } from './python-format';
import { isPrimitiveType, PropertySchema, ResolvedDataTypes } from './types';
import { isFunctionValue, matchesSimpleType, SimpleTypeOptions } from './value-types';

/**
 * A schema violation found while walking a value; `path` is relative to the walked value.
 * The public functions turn it into a located DslError or into an InputError.
 */
export class SchemaViolation extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly path: string[],
  ) {
    super(message);
    this.name = 'SchemaViolation';
  }
}

export interface ParseEnv extends SimpleTypeOptions {
  dataTypes: ResolvedDataTypes;
  /** Who owns the value (node name, input name, data type name): used in messages only. */
  subject: string;
  /** False while computing defaults: a nested required property may still be given later. */
  raiseOnMissing: boolean;
  undefinedProperty: (propertyPath: string) => string;
  missingProperty: (propertyPath: string) => string;
}

/**
 * Validates a value against a type and fills the defaults of data-type values, nested ones
 * included. `derived` is a default the value refines: a data-type value given only partly
 * keeps the rest of that default.
 */
export function parseValue(
  value: Json,
  typeName: string | undefined,
  path: string[],
  env: ParseEnv,
  derived?: Json,
): Json {
  // Untyped values, functions (evaluated later) and nulls (an explicit "no value") pass as is.
  if (typeName === undefined || value === null || isFunctionValue(value)) return value;
  if (isPrimitiveType(typeName)) {
    if (matchesSimpleType(value, typeName, env)) return value;
    throw typeMismatch(value, typeName, path, env);
  }
  const schema = env.dataTypes[typeName];
  if (!schema) {
    throw new SchemaViolation(DSL_ERROR_CODES.unknownType, `Illegal type name '${typeName}'`, path);
  }
  if (!isObject(value)) throw typeMismatch(value, typeName, path, env);
  const defaults = flattenDefaults(schema);
  if (isObject(derived)) Object.assign(defaults, derived);
  return mergeSchemaAndValues(value, schema, defaults, path, env);
}

function typeMismatch(value: Json, typeName: string, path: string[], env: ParseEnv) {
  const where =
    path.length === 0
      ? `the defined type is '${typeName}'`
      : `property '${path.join('.')}' type is '${typeName}'`;
  return new SchemaViolation(
    DSL_ERROR_CODES.typeMismatch,
    `Property type validation failed in '${env.subject}': ${where}, yet it was assigned with ` +
      `the value '${pyStr(value)}'`,
    path,
  );
}

/** The defaults a schema declares, by property name. */
export function flattenDefaults(schema: Record<string, PropertySchema>): JsonObject {
  const defaults: JsonObject = {};
  for (const [name, property] of Object.entries(schema)) {
    if (property.default !== undefined) defaults[name] = property.default;
  }
  return defaults;
}

/**
 * Merges given values over schema defaults: unknown names are errors (106), required
 * properties with neither value nor default are errors (107), every value is type-checked.
 * Optional properties without value or default are left out of the result.
 */
export function mergeSchemaAndValues(
  values: JsonObject,
  schema: Record<string, PropertySchema>,
  defaults: JsonObject,
  path: string[],
  env: ParseEnv,
): JsonObject {
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(schema, key)) {
      throw new SchemaViolation(
        DSL_ERROR_CODES.undefinedProperty,
        env.undefinedProperty([...path, key].join('.')),
        [...path, key],
      );
    }
  }
  const merged: JsonObject = { ...defaults, ...values };
  const externalResource = externalResourceFlag(merged, path);
  const result: JsonObject = {};
  for (const [key, property] of Object.entries(schema)) {
    if (!Object.hasOwn(merged, key)) {
      // An external resource already exists, so its mandatory settings need no value.
      const required = (property.required ?? true) && !externalResource;
      if (required && env.raiseOnMissing) {
        throw new SchemaViolation(
          DSL_ERROR_CODES.missingRequiredProperty,
          env.missingProperty([...path, key].join('.')),
          [...path, key],
        );
      }
      continue;
    }
    result[key] = parseValue(merged[key], property.type, [...path, key], env, defaults[key]);
  }
  return result;
}

/** `use_external_resource` relaxes required properties, so it must be known now: no functions. */
function externalResourceFlag(merged: JsonObject, path: string[]): boolean {
  const flag = merged.use_external_resource;
  if (!pyTruthy(flag)) return false;
  if (isFunctionValue(flag)) {
    throw new SchemaViolation(
      DSL_ERROR_CODES.functionNotPermitted,
      'Only boolean values are allowed for `use_external_resource` property, ' +
        "don't use intrinsic functions.",
      [...path, 'use_external_resource'],
    );
  }
  return true;
}
