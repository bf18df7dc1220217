import { isFunctionCall } from '../functions/function-names';
import { isObject, Json } from '../json';
import { isObjectBasedType } from './types';

/**
 * Cloudify treats `{fn: args}` and `{fn: args, type: t}` as a function call; such values are
 * evaluated later, so type and constraint checks skip them.
 */
export function isFunctionValue(value: Json | undefined): boolean {
  if (isFunctionCall(value)) return true;
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2 || !keys.includes('type')) return false;
  const name = keys.find((k) => k !== 'type') ?? '';
  return isFunctionCall({ [name]: value[name] });
}

/**
 * Blueprints carry Python regular expressions. The few Python-only spellings that have a JS
 * twin are translated; anything else is handed to the JS engine as is.
 */
export function compilePythonRegex(source: string, flags = ''): RegExp | undefined {
  const translated = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\Z/g, '$');
  try {
    return new RegExp(translated, flags);
  } catch {
    return undefined;
  }
}

/** Python's re.match: the pattern must match at the start of the value (not necessarily the end). */
export function pythonRegexMatches(pattern: string, value: string): boolean {
  const regex = compilePythonRegex(pattern, 'y');
  if (!regex) return false;
  regex.lastIndex = 0;
  return regex.test(value);
}

export interface SimpleTypeOptions {
  /** At deployment creation object-based types (deployment_id, …) must at least be strings. */
  strictObjectTypes?: boolean;
}

/**
 * Whether a value fits a primitive type the way Cloudify's parser judges it: integers are
 * not booleans, floats accept integers, and `string`/`textarea` accept any value.
 */
export function matchesSimpleType(
  value: Json,
  typeName: string,
  options: SimpleTypeOptions = {},
): boolean {
  switch (typeName) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
    case 'textarea':
      return true;
    case 'regex':
      return typeof value === 'string' && compilePythonRegex(value) !== undefined;
    case 'list':
      return Array.isArray(value);
    case 'dict':
      return isObject(value);
    default:
      if (!isObjectBasedType(typeName)) return false;
      return !options.strictObjectTypes || typeof value === 'string';
  }
}

/** Deployment-update style auto-correction: strings that spell a number or boolean become one. */
export function castToType(value: Json, typeName: string | undefined): Json {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (typeName === 'integer' && /^[-+]?\d+$/.test(text)) return parseInt(text, 10);
  if (typeName === 'float' && text !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (typeName === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}
