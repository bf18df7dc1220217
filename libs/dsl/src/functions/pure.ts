import { isObject, Json, JsonObject } from '../json';
import { Fail } from './args';
import { pythonStr } from './catalog';

/** Why a key/index walk stopped; callers word the message for their function. */
export type LookupMiss =
  | { kind: 'missing-key'; at: number }
  | { kind: 'not-an-index'; at: number }
  | { kind: 'out-of-range'; at: number; size: number }
  | { kind: 'not-a-container'; at: number };

export type LookupResult = { found: true; value: Json } | { found: false; miss: LookupMiss };

/** One step into a dict (by key) or a list (by index, negative counting from the end). */
export function step(
  value: Json,
  key: Json,
): { found: true; value: Json } | { found: false; kind: LookupMiss['kind'] } {
  if (isObject(value)) {
    const name = typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
    if (name === undefined || !Object.prototype.hasOwnProperty.call(value, name))
      return { found: false, kind: 'missing-key' };
    return { found: true, value: value[name] };
  }
  if (Array.isArray(value)) {
    if (typeof key !== 'number' || !Number.isInteger(key))
      return { found: false, kind: 'not-an-index' };
    const index = key < 0 ? value.length + key : key;
    if (index < 0 || index >= value.length) return { found: false, kind: 'out-of-range' };
    return { found: true, value: value[index] };
  }
  return { found: false, kind: 'not-a-container' };
}

/** Walks `keys` into `root`. */
export function lookup(root: Json, keys: readonly Json[]): LookupResult {
  let value = root;
  for (let at = 0; at < keys.length; at++) {
    const next = step(value, keys[at]);
    if (!next.found) {
      const miss: LookupMiss =
        next.kind === 'out-of-range' && Array.isArray(value)
          ? { kind: 'out-of-range', at, size: value.length }
          : ({ kind: next.kind, at } as LookupMiss);
      return { found: false, miss };
    }
    value = next.value;
  }
  return { found: true, value };
}

/** `a.b[2].c`, the way Cloudify names an input or capability path in its messages. */
export function attributePath(items: readonly Json[]): string {
  let out = '';
  items.forEach((item, index) => {
    if (typeof item === 'number') out += index === 0 ? String(item) : `[${item}]`;
    else out += index === 0 ? pythonStr(item) : `.${pythonStr(item)}`;
  });
  return out;
}

/** concat: every part as Python's str() writes it, joined without separator. */
export function concatValues(parts: readonly Json[]): string {
  return parts.map(pythonStr).join('');
}

/** merge: later dicts override earlier keys (a shallow update, as in Cloudify). */
export function mergeValues(parts: readonly Json[], fail: Fail): JsonObject {
  const merged: JsonObject = {};
  for (const part of parts) {
    if (!isObject(part))
      return fail(`Encountered non-dict element for merge: ${JSON.stringify(part)}`);
    Object.assign(merged, part);
  }
  return merged;
}

function requireString(fn: string, argument: string, value: Json, fail: Fail): string {
  if (typeof value === 'string') return value;
  return fail(
    `Unable to evaluate ${fn} function: argument \`${argument}\` should be of type str but is ${JSON.stringify(value)}`,
  );
}

function requireInt(fn: string, argument: string, value: Json, fail: Fail): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return fail(
    `Unable to evaluate ${fn} function: argument \`${argument}\` should be of type int but is ${JSON.stringify(value)}`,
  );
}

/**
 * string_find: the position of `needle` in `haystack`, -1 when absent. Positions count code points
 * as Python does, not UTF-16 units.
 */
export function stringFind(items: readonly Json[], fail: Fail): number {
  const haystack = requireString('string_find', 'haystack', items[0], fail);
  const needle = requireString('string_find', 'needle', items[1], fail);
  const unitIndex = haystack.indexOf(needle);
  return unitIndex < 0 ? -1 : Array.from(haystack.slice(0, unitIndex)).length;
}

/** string_replace: all occurrences, or the first `count` ones (a negative count means all). */
export function stringReplace(items: readonly Json[], fail: Fail): string {
  const haystack = requireString('string_replace', 'haystack', items[0], fail);
  const needle = requireString('string_replace', 'needle', items[1], fail);
  const replacement = requireString('string_replace', 'replacement', items[2], fail);
  const count = items.length > 3 ? requireInt('string_replace', 'count', items[3], fail) : -1;
  if (count < 0) {
    // An empty needle matches around every character, which split/join would not do.
    if (needle === '') return replaceFirst(haystack, needle, replacement, Number.POSITIVE_INFINITY);
    return haystack.split(needle).join(replacement);
  }
  return replaceFirst(haystack, needle, replacement, count);
}

function replaceFirst(
  haystack: string,
  needle: string,
  replacement: string,
  count: number,
): string {
  let out = '';
  let rest = haystack;
  for (let done = 0; done < count; done++) {
    // An empty needle matches before every character, as in Python.
    if (needle === '') {
      out += replacement;
      if (rest === '') return out;
      const first = Array.from(rest)[0];
      out += first;
      rest = rest.slice(first.length);
      continue;
    }
    const at = rest.indexOf(needle);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + needle.length);
  }
  return out + rest;
}

/** string_split: the parts, or the one at `index` (negative counts from the end). */
export function stringSplit(items: readonly Json[], fail: Fail): Json {
  const input = requireString('string_split', 'input', items[0], fail);
  const separator = requireString('string_split', 'separator', items[1], fail);
  if (separator === '') return fail('Unable to evaluate string_split function: empty separator');
  const parts = input.split(separator);
  if (items.length < 3) return parts;
  const index = requireInt('string_split', 'index', items[2], fail);
  const picked = step(parts, index);
  if (!picked.found)
    return fail(
      `Unable to evaluate string_split function: index ${index} out of range for ${parts.length} parts`,
    );
  return picked.value;
}

export function stringCase(name: 'string_lower' | 'string_upper', input: Json, fail: Fail): string {
  const text = requireString(name, 'input', input, fail);
  return name === 'string_lower' ? text.toLowerCase() : text.toUpperCase();
}
