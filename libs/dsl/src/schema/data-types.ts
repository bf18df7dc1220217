import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, Json } from '../json';
import { parseValue, ParseEnv, SchemaViolation } from './parse-value';
import { pyTruthy } from './python-format';
import { DataTypeDefinition, isPrimitiveType, PropertySchema, ResolvedDataTypes } from './types';

/** Where a property schema lives, for messages and error locations. */
export interface SchemaOwner {
  /** The owning type's name, as messages name it. */
  subject: string;
  /** Path of the `properties` section, e.g. ['data_types', 'pair', 'properties']. */
  path: (string | number)[];
  locate?: Locate;
}

function isDataTypeName(name: string | undefined, dataTypes: ResolvedDataTypes): name is string {
  return name !== undefined && !isPrimitiveType(name) && Object.hasOwn(dataTypes, name);
}

function defaultsEnv(dataTypes: ResolvedDataTypes, subject: string): ParseEnv {
  return {
    dataTypes,
    subject,
    raiseOnMissing: false,
    undefinedProperty: (p) => `Undefined property ${p} in default value of type ${subject}`,
    missingProperty: (p) => `Value of type ${subject} is missing property ${p}`,
  };
}

/** A violation inside property `name`'s default, located under that default. */
function defaultViolation(error: unknown, owner: SchemaOwner, name: string): unknown {
  if (!(error instanceof SchemaViolation)) return error;
  const inside = error.path.slice(1);
  return dslError(error.message, [...owner.path, name, 'default', ...inside], {
    code: error.code,
    locate: owner.locate,
  });
}

/**
 * Checks each property's type name and default, and gives data-type properties their
 * effective default: the written one (or `{}` when none) with the data type's nested
 * defaults filled in. Nested required properties may stay missing here: a template can
 * still provide them.
 */
function resolveOwnProperties(
  own: Record<string, PropertySchema>,
  dataTypes: ResolvedDataTypes,
  owner: SchemaOwner,
): Record<string, PropertySchema> {
  const env = defaultsEnv(dataTypes, owner.subject);
  const result: Record<string, PropertySchema> = {};
  for (const [name, property] of Object.entries(own)) {
    const type = property.type;
    if (type !== undefined && !isPrimitiveType(type) && !Object.hasOwn(dataTypes, type)) {
      throw dslError(`Illegal type name '${type}'`, [...owner.path, name, 'type'], {
        code: DSL_ERROR_CODES.unknownType,
        locate: owner.locate,
      });
    }
    let initial = property.default;
    if ((initial === undefined || initial === null) && isDataTypeName(type, dataTypes))
      initial = {};
    if (initial === undefined) {
      result[name] = { ...property };
      continue;
    }
    try {
      result[name] = { ...property, default: parseValue(initial, type, [name], env) };
    } catch (error) {
      throw defaultViolation(error, owner, name);
    }
  }
  return result;
}

/**
 * The effective property schema of a type derived from another: the child's definition of a
 * property replaces the parent's, except that when both declare the same data type the
 * parent's default stays the base the child's default refines.
 */
export function resolveTypeProperties(
  parent: Record<string, PropertySchema> | undefined,
  own: Record<string, PropertySchema>,
  dataTypes: ResolvedDataTypes,
  owner: SchemaOwner,
): Record<string, PropertySchema> {
  const resolved = resolveOwnProperties(own, dataTypes, owner);
  if (!parent) return resolved;
  const merged: Record<string, PropertySchema> = { ...resolved };
  const env = defaultsEnv(dataTypes, owner.subject);
  for (const [name, inherited] of Object.entries(parent)) {
    const mine = resolved[name];
    if (!mine) {
      merged[name] = inherited;
      continue;
    }
    const inheritedDefault = inherited.default;
    const sameDataType = mine.type === inherited.type && isDataTypeName(mine.type, dataTypes);
    if (!sameDataType || inheritedDefault === undefined || inheritedDefault === null) continue;
    const written: Json = own[name]?.default ?? {};
    let refined: Json;
    try {
      refined = parseValue(written, mine.type, [name], env, inheritedDefault);
    } catch (error) {
      throw defaultViolation(error, owner, name);
    }
    if (pyTruthy(refined)) merged[name] = { ...mine, default: refined };
  }
  return merged;
}

/** Names each data type depends on: its parent and the data types its properties use. */
function dependenciesOf(
  name: string,
  definition: DataTypeDefinition,
  all: Record<string, DataTypeDefinition>,
  locate: Locate | undefined,
): string[] {
  const deps: string[] = [];
  const parent = definition.derived_from;
  if (parent !== undefined) {
    if (!Object.hasOwn(all, parent)) {
      throw dslError(
        `Missing definition for data type '${parent}' which is declared as derived by data ` +
          `type '${name}'`,
        ['data_types', name, 'derived_from'],
        { code: DSL_ERROR_CODES.unknownType, locate },
      );
    }
    deps.push(parent);
  }
  for (const [prop, schema] of Object.entries(definition.properties ?? {})) {
    const type = schema.type;
    if (type === undefined || isPrimitiveType(type)) continue;
    if (!Object.hasOwn(all, type)) {
      throw dslError(
        `Illegal type name '${type}'`,
        ['data_types', name, 'properties', prop, 'type'],
        {
          code: DSL_ERROR_CODES.unknownType,
          locate,
        },
      );
    }
    deps.push(type);
  }
  return deps;
}

/** Data types ordered so that every type comes after the types it depends on. */
function dependencyOrder(
  dataTypes: Record<string, DataTypeDefinition>,
  locate: Locate | undefined,
): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw dslError(
        `Parsing failed. Circular dependency detected: ${cycle.join(' --> ')}`,
        ['data_types', name],
        { code: DSL_ERROR_CODES.cycle, locate },
      );
    }
    state.set(name, 'visiting');
    for (const dep of dependenciesOf(name, dataTypes[name], dataTypes, locate)) {
      visit(dep, [...trail, name]);
    }
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(dataTypes)) visit(name, []);
  return order;
}

/**
 * Resolves data-type derivation (properties merged down the chain; cycles → code 100;
 * unknown parent → code 103). Returns the effective property schema of each data type.
 */
/** Definitions are mappings with a string `derived_from` and mapping property schemas; the rest of this file relies on it. */
function checkShapes(dataTypes: Record<string, DataTypeDefinition>, locate?: Locate): void {
  const fail = (message: string, path: (string | number)[]) => {
    throw dslError(message, ['data_types', ...path], { locate });
  };
  for (const [name, definition] of Object.entries(dataTypes)) {
    const raw = definition as unknown as Json;
    if (!isObject(raw)) fail('a data type must be a mapping', [name]);
    const { derived_from: parent, properties } = definition;
    if (parent !== undefined && typeof parent !== 'string')
      fail('derived_from must be a type name', [name, 'derived_from']);
    if (properties === undefined || properties === null) continue;
    if (!isObject(properties as unknown as Json))
      fail('properties must be a mapping', [name, 'properties']);
    for (const [prop, schema] of Object.entries(properties)) {
      if (!isObject(schema as unknown as Json))
        fail('a property schema must be a mapping', [name, 'properties', prop]);
      if (schema.type !== undefined && typeof schema.type !== 'string')
        fail('type must be a type name', [name, 'properties', prop, 'type']);
    }
  }
}

export function resolveDataTypes(
  dataTypes: Record<string, DataTypeDefinition>,
  locate?: Locate,
): ResolvedDataTypes {
  for (const name of Object.keys(dataTypes)) {
    if (isPrimitiveType(name)) {
      throw dslError(`Can't redefine primitive type ${name}`, ['data_types', name], {
        code: DSL_ERROR_CODES.invalidTypeName,
        locate,
      });
    }
  }
  checkShapes(dataTypes, locate);
  const resolved: ResolvedDataTypes = {};
  for (const name of dependencyOrder(dataTypes, locate)) {
    const definition = dataTypes[name];
    const parent = definition.derived_from;
    resolved[name] = resolveTypeProperties(
      parent === undefined ? undefined : resolved[parent],
      definition.properties ?? {},
      resolved,
      { subject: name, path: ['data_types', name, 'properties'], locate },
    );
  }
  // Same key order as the blueprint wrote them.
  return Object.fromEntries(Object.keys(dataTypes).map((name) => [name, resolved[name]]));
}

const resolvedCache = new WeakMap<Record<string, DataTypeDefinition>, ResolvedDataTypes>();

/** resolveDataTypes, memoised per data-types object (schemas are applied once per template). */
export function resolvedDataTypesOf(
  dataTypes: Record<string, DataTypeDefinition>,
  locate?: Locate,
): ResolvedDataTypes {
  const cached = resolvedCache.get(dataTypes);
  if (cached) return cached;
  const resolved = resolveDataTypes(dataTypes, locate);
  resolvedCache.set(dataTypes, resolved);
  return resolved;
}
