import { isObject, Json, JsonObject } from '../json';
import { FUNCTION_NAMES } from './function-names';

/**
 * Functions Cloudify also registers beyond the documented table of shared/spec/dsl.md §5. They are
 * recognised so that a blueprint using them keeps them as calls instead of treating them as data.
 */
export const EXTRA_FUNCTION_NAMES = [
  'string_split',
  'get_attributes_list',
  'get_attributes_dict',
  'get_consumers',
  'get_group_capability',
] as const;

export const ALL_FUNCTION_NAMES = [...FUNCTION_NAMES, ...EXTRA_FUNCTION_NAMES] as const;
export type AnyFunctionName = (typeof ALL_FUNCTION_NAMES)[number];

const KNOWN = new Set<string>(ALL_FUNCTION_NAMES);

/** Only known at runtime: plan-time evaluation keeps these calls in place. */
export const RUNTIME_FUNCTION_NAMES: ReadonlySet<AnyFunctionName> = new Set<AnyFunctionName>([
  'get_attribute',
  'get_attributes_list',
  'get_attributes_dict',
  'get_secret',
  'get_capability',
  'get_group_capability',
  'get_environment_capability',
  'get_sys',
  'get_label',
  'get_consumers',
]);

/** A recognised call: its name, its arguments and the optional declared return `type`. */
export interface Call {
  name: AnyFunctionName;
  args: Json;
  returnType?: string;
}

/**
 * A call is `{name: args}`, optionally with a `type` key next to it (`{get_input: x, type: integer}`),
 * which declares the type the value must have.
 */
export function parseCall(value: Json | undefined): Call | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.length > 2) return undefined;
  const names = keys.filter((key) => key !== 'type');
  if (names.length !== 1 || !KNOWN.has(names[0])) return undefined;
  const name = names[0] as AnyFunctionName;
  const type = value.type;
  return { name, args: value[name], returnType: typeof type === 'string' ? type : undefined };
}

/** Rebuilds a call's dict, e.g. after its arguments were evaluated. */
export function makeCall(call: Call, args: Json): JsonObject {
  const out: JsonObject = { [call.name]: args };
  if (call.returnType !== undefined) out.type = call.returnType;
  return out;
}

export function isCall(value: Json | undefined): boolean {
  return parseCall(value) !== undefined;
}

/** True when the value holds any intrinsic function call, including Cloudify's extra ones. */
export function containsIntrinsicFunction(value: Json | undefined): boolean {
  if (isCall(value)) return true;
  if (Array.isArray(value)) return value.some(containsIntrinsicFunction);
  if (isObject(value)) return Object.values(value).some(containsIntrinsicFunction);
  return false;
}

/** Cloudify's way of writing a location in messages and IDD identifiers: `outputs.o.value[0].x`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/**
 * The text Python's `str()` gives a value; concat joins its parts that way, so blueprints written
 * for Cloudify get the same strings (`True`, `None`, `{'a': 1}`).
 */
export function pythonStr(value: Json): string {
  if (typeof value === 'string') return value;
  return pythonRepr(value);
}

function pythonRepr(value: Json): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonQuote(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries = Object.keys(value).map((key) => `${pythonQuote(key)}: ${pythonRepr(value[key])}`);
  return `{${entries.join(', ')}}`;
}

function pythonNumber(value: number): string {
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return value.toExponential();
  return String(value);
}

/** Python prefers single quotes and switches to double ones when the text holds a single quote. */
function pythonQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}
