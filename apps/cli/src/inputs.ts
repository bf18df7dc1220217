import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import { isObject, JsonObject } from '@nestify/dsl';

/** A CLI usage problem: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * `-i` values as cfy takes them: a YAML/JSON file, `key=value` pairs (several joined with `;`), or
 * inline YAML/JSON. Values of pairs are read as YAML scalars, so `port=8080` is a number.
 */
export function parseInputs(values: string[]): JsonObject {
  const inputs: JsonObject = {};
  for (const value of values) Object.assign(inputs, parseOne(value));
  return inputs;
}

function parseOne(value: string): JsonObject {
  if (isFile(value)) return asMapping(parse(readFileSync(value, 'utf8')) ?? {}, value);
  if (/^[^=\s{[]+=/.test(value)) {
    const pairs: JsonObject = {};
    for (const pair of value.split(';').filter((p) => p.trim())) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`invalid input '${pair}': expected key=value`);
      pairs[pair.slice(0, at).trim()] = parse(pair.slice(at + 1)) ?? '';
    }
    return pairs;
  }
  try {
    return asMapping(parse(value), value);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`invalid inputs '${value}': not a file, key=value pairs or YAML`);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function asMapping(value: unknown, source: string): JsonObject {
  if (!isObject(value as JsonObject))
    throw new UsageError(`inputs from '${source}' must be a mapping`);
  return value as JsonObject;
}
