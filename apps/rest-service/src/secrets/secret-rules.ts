import { BadParametersError, ConflictError, IllegalActionError, Visibility } from '@nestify/common';
import { checkSchema, InvalidSchemaError, JsonSchema, schemaViolation } from './json-schema';

const VISIBILITY_WIDTH: Record<Visibility, number> = {
  [Visibility.Private]: 0,
  [Visibility.Tenant]: 1,
  [Visibility.Global]: 2,
};

/** Python's truthiness, which Cloudify uses to decide whether a value was given. */
export function isPythonFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') {
    return true;
  }
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Visibility can only widen (private → tenant → global). */
export function checkVisibilityChange(key: string, current: Visibility, next: Visibility): void {
  if (VISIBILITY_WIDTH[current] > VISIBILITY_WIDTH[next]) {
    throw new IllegalActionError(
      `Can't set the visibility of \`${key}\` to ${next} because it already has wider visibility`,
    );
  }
}

/**
 * The text to encrypt for a secret value: with a schema, the value must satisfy it (else 409, as
 * Cloudify) and is stored as JSON; without one it must be a string.
 */
export function serializeSecretValue(value: unknown, schema: JsonSchema | null): string {
  if (!schema) {
    if (typeof value !== 'string') {
      throw new BadParametersError(
        'The secret `value` must be a string unless a `schema` is given',
      );
    }
    return value;
  }
  const violation = schemaViolation(value, schema);
  if (violation) throw new ConflictError(`Error validating secret value: ${violation}`);
  return JSON.stringify(value);
}

/** A secret schema as given in a request: an object that is a valid schema, or none. */
export function readSchema(schema: unknown): JsonSchema | null {
  if (schema === undefined || schema === null || isPythonFalsy(schema)) return null;
  try {
    checkSchema(schema);
  } catch (error) {
    if (error instanceof InvalidSchemaError) {
      throw new BadParametersError(
        `Invalid secret JSON schema ${JSON.stringify(schema)}: ${error.message}`,
      );
    }
    throw error;
  }
  return schema;
}
