import { dslError } from '../errors';
import { JsonObject } from '../json';
import { resolvedDataTypesOf } from './data-types';
import { flattenDefaults, mergeSchemaAndValues, ParseEnv, SchemaViolation } from './parse-value';
import { isPrimitiveType, PropertySchema, SchemaContext } from './types';

/**
 * Applies a property schema to template values: unknown property → code 106; missing
 * required without default → code 107; a value not matching its type → code 105 (data types
 * validated recursively, nested defaults filled); functions skip checks; a truthy
 * `use_external_resource` makes required properties optional (and may not be a function,
 * code 219). Returns the values with defaults filled in; optional properties with neither
 * value nor default are left out, as Cloudify's plan does.
 */
export function applyPropertySchema(
  schema: Record<string, PropertySchema>,
  values: JsonObject | undefined,
  ctx: SchemaContext,
): JsonObject {
  const dataTypes = resolvedDataTypesOf(ctx.dataTypes, ctx.locate);
  const subject = ctx.subject ?? ctx.path.join('.');
  const env: ParseEnv = {
    dataTypes,
    subject,
    raiseOnMissing: true,
    undefinedProperty:
      ctx.messages?.undefinedProperty ??
      ((p) => `'${subject}' property '${p}' is not part of the properties schema`),
    missingProperty:
      ctx.messages?.missingProperty ??
      ((p) =>
        `'${subject}' does not provide a value for mandatory '${p}' property which is part ` +
        'of its schema'),
  };
  const defaults = flattenDefaults(schema);
  // A data-type property always has a value: its nested defaults, at least.
  for (const [name, property] of Object.entries(schema)) {
    const type = property.type;
    const dataTyped =
      type !== undefined && !isPrimitiveType(type) && Object.hasOwn(dataTypes, type);
    if (dataTyped && (defaults[name] === undefined || defaults[name] === null)) defaults[name] = {};
  }
  try {
    return mergeSchemaAndValues(values ?? {}, schema, defaults, [], env);
  } catch (error) {
    if (!(error instanceof SchemaViolation)) throw error;
    throw dslError(error.message, [...ctx.path, ...error.path], {
      code: error.code,
      locate: ctx.locate,
    });
  }
}
