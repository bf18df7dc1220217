import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, JsonObject } from '../json';
import { Interfaces, mergeTypeInterfaces, readInterfaces } from './operation-definition';

/** A node or relationship type with everything inherited folded in. */
export interface ResolvedType {
  name: string;
  /** Ancestors, root first, ending with the type itself. */
  typeHierarchy: string[];
  /** Property schemas (child redefinitions replace the parent's). */
  properties: Record<string, JsonObject>;
  /** Node types: `interfaces`; relationships: `source_interfaces` / `target_interfaces`. */
  interfaces: Record<string, Interfaces>;
  /** Other fields of the closest definition that sets them (e.g. relationships' connection_type). */
  raw: JsonObject;
}

const INTERFACE_KEYS = {
  node_types: ['interfaces'],
  relationships: ['source_interfaces', 'target_interfaces'],
  data_types: [],
} as const;

type TypeSection = keyof typeof INTERFACE_KEYS;

/**
 * Resolves derivation for every type of a section: unknown parents (code 103) and cycles
 * (code 100) are errors. Memoised, so each type is resolved once however deep the tree.
 */
export function resolveTypes(
  section: TypeSection,
  definitions: JsonObject,
  locate?: Locate,
): Map<string, ResolvedType> {
  const resolved = new Map<string, ResolvedType>();
  const visiting = new Set<string>();
  const resolveOne = (name: string): ResolvedType => {
    const done = resolved.get(name);
    if (done) return done;
    const path = [section, name];
    if (visiting.has(name)) {
      throw dslError(`'${name}' derives from itself through ${[...visiting].join(' → ')}`, path, {
        code: DSL_ERROR_CODES.cycle,
        locate,
      });
    }
    const definition = definitions[name];
    if (!isObject(definition))
      throw dslError(`a type definition must be a mapping`, path, { locate });
    visiting.add(name);
    const parentName = definition.derived_from;
    let parent: ResolvedType | undefined;
    if (parentName !== undefined && parentName !== null) {
      if (typeof parentName !== 'string' || !(parentName in definitions)) {
        throw dslError(
          `derives from unknown type '${String(parentName)}'`,
          [...path, 'derived_from'],
          {
            code: DSL_ERROR_CODES.unknownType,
            locate,
          },
        );
      }
      parent = resolveOne(parentName);
    }
    visiting.delete(name);
    const type = deriveType(section, name, definition, parent, locate);
    resolved.set(name, type);
    return type;
  };
  for (const name of Object.keys(definitions)) resolveOne(name);
  return resolved;
}

function deriveType(
  section: TypeSection,
  name: string,
  definition: JsonObject,
  parent: ResolvedType | undefined,
  locate?: Locate,
): ResolvedType {
  const path = [section, name];
  const ownProperties = definition.properties ?? {};
  if (!isObject(ownProperties))
    throw dslError('properties must be a mapping', [...path, 'properties'], { locate });
  const properties: Record<string, JsonObject> = { ...(parent?.properties ?? {}) };
  for (const [property, schema] of Object.entries(ownProperties)) {
    properties[property] = isObject(schema) ? schema : {};
  }
  const interfaces: Record<string, Interfaces> = {};
  for (const key of INTERFACE_KEYS[section]) {
    const own = readInterfaces(definition[key], [...path, key], locate);
    interfaces[key] = mergeTypeInterfaces(parent?.interfaces[key] ?? {}, own);
  }
  return {
    name,
    typeHierarchy: [...(parent?.typeHierarchy ?? []), name],
    properties,
    interfaces,
    raw: { ...(parent?.raw ?? {}), ...definition },
  };
}
