import { isObject, Json } from '../json';

/** Every intrinsic function name of the DSL (shared/spec/dsl.md §5). */
export const FUNCTION_NAMES = [
  'get_input',
  'get_property',
  'get_attribute',
  'get_secret',
  'get_capability',
  'get_environment_capability',
  'get_sys',
  'get_label',
  'concat',
  'merge',
  'string_find',
  'string_replace',
  'string_lower',
  'string_upper',
  'string_split',
  'get_attributes_list',
  'get_attributes_dict',
  'get_consumers',
  'get_group_capability',
] as const;

export type FunctionName = (typeof FUNCTION_NAMES)[number];

const NAMES = new Set<string>(FUNCTION_NAMES);

/** A function call is a mapping with exactly one key, a function name: `{get_input: x}`. */
export function isFunctionCall(value: Json | undefined): value is { [name: string]: Json } {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && NAMES.has(keys[0]);
}

/** The function's name of a call (assumes isFunctionCall). */
export function functionNameOf(call: { [name: string]: Json }): FunctionName {
  return Object.keys(call)[0] as FunctionName;
}

/** True when a value holds a function call anywhere inside it. */
export function containsFunctionCall(value: Json | undefined): boolean {
  if (isFunctionCall(value)) return true;
  if (Array.isArray(value)) return value.some(containsFunctionCall);
  if (isObject(value)) return Object.values(value).some(containsFunctionCall);
  return false;
}
