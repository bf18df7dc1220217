import { isCollection, isMap, isScalar, LineCounter, Node, parseDocument, YAMLError } from 'yaml';
import { DslError, Locate, SourceLocation } from '../errors';
import { isObject, Json, JsonObject } from '../json';

/** One parsed YAML file with a way back from a path inside it to its line and column. */
export interface YamlFile {
  file: string;
  value: JsonObject;
  locate: Locate;
}

function position(lineCounter: LineCounter, file: string, offset: number): SourceLocation {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, column: col };
}

function yamlErrorToDsl(error: YAMLError, lineCounter: LineCounter, file: string): DslError {
  const location = position(lineCounter, file, error.pos[0]);
  const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return new DslError(`invalid YAML: ${reason}`, { location });
}

/**
 * Parses a blueprint file: YAML 1.2 with anchors, aliases and `<<` merge keys (the
 * dsl_definitions habit), duplicate keys refused. The top level must be a mapping.
 */
export function parseYamlFile(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const [firstError] = document.errors;
  if (firstError) throw yamlErrorToDsl(firstError, lineCounter, file);
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 10000, mapAsMap: true });
  } catch (error) {
    throw new DslError(`invalid YAML: ${(error as Error).message}`, { location: { file } });
  }
  if (value === null || value === undefined) value = {};
  if (!isObject(value as Json)) {
    throw new DslError('a blueprint must be a YAML mapping at its top level', {
      location: { file, line: 1, column: 1 },
    });
  }
  const locate: Locate = (path) => {
    const node = nodeAt(document.contents, path);
    if (!node?.range) return { file };
    return position(lineCounter, file, node.range[0]);
  };
  return { file, value: normaliseKeys(value, file), locate };
}

/** The deepest node along `path` (a missing tail stops at its parent). */
function nodeAt(root: unknown, path: readonly (string | number)[]): Node | undefined {
  let current = root as Node | null | undefined;
  for (const [index, segment] of path.entries()) {
    if (!current || !isCollection(current)) break;
    let next: unknown;
    if (isMap(current)) {
      const pair = current.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      // The last segment points at its key (`vm:`), not at the mapping below it.
      const last = index === path.length - 1;
      next = pair ? (last ? pair.key : (pair.value ?? pair.key)) : undefined;
    } else {
      next = current.get(Number(segment), true);
    }
    if (!next) break;
    current = next as Node;
  }
  return current ?? undefined;
}

/**
 * YAML allows non-string keys (`1: x`, `true: y`); blueprints are JSON-shaped, so keys become
 * strings as Cloudify's parser sees them after validation. Dates stay as their ISO strings.
 */
function normaliseKeys(value: unknown, file: string): JsonObject {
  return toJson(value, new Set(), file) as JsonObject;
}

/** Thrown for an alias that contains itself (`&a [*a]`): JSON has no cycles. */
function cyclic(file: string): DslError {
  return new DslError('invalid YAML: an alias refers to a node that contains it', {
    location: { file },
  });
}

function toJson(value: unknown, ancestors: Set<unknown>, file: string): Json {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    if (ancestors.has(value)) throw cyclic(file);
    ancestors.add(value);
    try {
      return containerToJson(value, ancestors, file);
    } finally {
      ancestors.delete(value);
    }
  }
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  return value as Json;
}

function containerToJson(value: object, ancestors: Set<unknown>, file: string): Json {
  const convert = (item: unknown) => toJson(item, ancestors, file);
  if (Array.isArray(value)) return value.map(convert);
  const object: JsonObject = {};
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of entries) {
    if (key !== null && typeof key === 'object') {
      throw new DslError('invalid YAML: a mapping key must be a scalar, not a list or mapping', {
        location: { file },
      });
    }
    object[String(key)] = convert(item);
  }
  return object;
}
