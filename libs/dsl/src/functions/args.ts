import { isObject, Json } from '../json';
import { AnyFunctionName, Call, isCall } from './catalog';

/** Raises the error for a malformed call; the caller decides the path and location. */
export type Fail = (message: string) => never;

/** A path item: a key, an index, or a call producing one. */
function isPathItem(value: Json): boolean {
  return typeof value === 'string' || Number.isInteger(value) || isCall(value);
}

function show(value: Json): string {
  return JSON.stringify(value);
}

/** `[node, attribute, key/index...]`, the shape of get_property and the get_attribute family. */
export interface NodePathArgs {
  node: Json;
  path: Json[];
}

export interface GetAttributesDictArgs {
  node: Json;
  paths: Json[][];
}

export interface GetLabelArgs {
  key: Json;
  index?: number;
}

/** The arguments of every function, checked for shape only; items may still be calls. */
export type ParsedArgs =
  | { name: 'get_input'; input: Json; keys: Json[] }
  | ({ name: 'get_property' | 'get_attribute' | 'get_attributes_list' } & NodePathArgs)
  | ({ name: 'get_attributes_dict' } & GetAttributesDictArgs)
  | { name: 'get_secret'; secret: Json; keys: Json[] }
  | { name: 'get_capability' | 'get_group_capability' | 'get_environment_capability'; path: Json[] }
  | { name: 'get_sys'; entity: Json; property: Json }
  | ({ name: 'get_label' } & GetLabelArgs)
  | { name: 'get_consumers'; property: string }
  | { name: 'concat' | 'merge'; items: Json[] }
  | { name: 'string_find'; items: Json[] }
  | { name: 'string_replace'; items: Json[] }
  | { name: 'string_split'; items: Json[] }
  | { name: 'string_lower' | 'string_upper'; input: Json };

const CONSUMER_PROPERTIES = ['ids', 'names', 'count'];

/**
 * Checks a call's argument shape the way Cloudify does when it parses the call. `evaluated` says
 * the arguments are results of inner calls already; the type checks of evaluation then report.
 */
export function parseArgs(call: Call, fail: Fail, evaluated = false): ParsedArgs {
  const { name, args } = call;
  switch (name) {
    case 'get_input':
      return parseGetInput(args, fail);
    case 'get_property':
    case 'get_attribute':
    case 'get_attributes_list':
      return { name, ...parseNodePath(name, args, fail) };
    case 'get_attributes_dict':
      return { name, ...parseAttributesDict(args, fail) };
    case 'get_secret':
      return parseGetSecret(args, fail);
    case 'get_capability':
    case 'get_group_capability':
      return { name, path: parseCapabilityPath(name, args, fail) };
    case 'get_environment_capability':
      return { name, path: parseEnvironmentCapability(args, fail) };
    case 'get_sys':
      return parseGetSys(args, fail);
    case 'get_label':
      return { name, ...parseGetLabel(args, fail) };
    case 'get_consumers':
      if (typeof args === 'string' && CONSUMER_PROPERTIES.includes(args))
        return { name, property: args };
      return fail(
        `Illegal argument passed to get_consumers: expected one of ${CONSUMER_PROPERTIES.join(', ')}, got ${show(args)}`,
      );
    case 'concat':
    case 'merge':
      if (!Array.isArray(args)) {
        return fail(
          `Illegal arguments passed to ${name} function. Expected: [arg1, arg2, ...] but got: ${show(args)}.`,
        );
      }
      return { name, items: args };
    case 'string_find':
      return { name, items: stringArgs(name, args, 2, 2, fail) };
    case 'string_replace':
      return { name, items: stringArgs(name, args, 3, 4, fail) };
    case 'string_split':
      return { name, items: stringArgs(name, args, 2, 3, fail) };
    case 'string_lower':
    case 'string_upper':
      // One argument: a string or a call producing one; a list is not accepted.
      if (
        evaluated ||
        typeof args === 'string' ||
        (isObject(args) && Object.keys(args).length === 1)
      )
        return { name, input: args };
      return fail(
        `Unable to validate ${name} function: should be called with exactly one parameter`,
      );
  }
}

function parseGetInput(args: Json, fail: Fail): ParsedArgs {
  if (typeof args === 'string' || isCall(args)) return { name: 'get_input', input: args, keys: [] };
  if (Array.isArray(args) && args.length >= 1 && args.every(isPathItem)) {
    return { name: 'get_input', input: args[0], keys: args.slice(1) };
  }
  return fail(
    `Illegal argument(s) passed to get_input function. Expected either a string, or a function, or a list ` +
      `[input_name, key/index...] but got ${show(args)}`,
  );
}

function parseNodePath(name: AnyFunctionName, args: Json, fail: Fail): NodePathArgs {
  if (Array.isArray(args) && args.length >= 2 && args.every(isPathItem)) {
    return { node: args[0], path: args.slice(1) };
  }
  return fail(
    `Illegal arguments passed to ${name} function. Expected: [node_name, property_name [, nested-property, ...]] ` +
      `but got: ${show(args)}.`,
  );
}

function parseAttributesDict(args: Json, fail: Fail): GetAttributesDictArgs {
  if (!Array.isArray(args) || args.length < 2) {
    return fail(
      `Illegal arguments passed to get_attributes_dict function. Expected: [node_name, attribute, ...] but got: ${show(args)}.`,
    );
  }
  const paths = args.slice(1).map((item) => (Array.isArray(item) ? item : [item]));
  for (const path of paths) {
    if (!isPathItem(args[0]) || path.length < 1 || !path.every(isPathItem)) {
      return fail(
        `Illegal arguments passed to get_attributes_dict function. Expected: [node_name, attribute, ...] but got: ${show(args)}.`,
      );
    }
  }
  // Each path becomes a key of the result, so two paths naming the same key would collide.
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const path of paths) {
    const id = attributeIdentifier(path);
    if (seen.has(id)) duplicated.add(id);
    seen.add(id);
  }
  if (duplicated.size > 0) {
    return fail(
      `One or more duplicated or ambiguous attribute paths found: ${[...duplicated].join(', ')}`,
    );
  }
  return { node: args[0], paths };
}

/** The key get_attributes_dict reports a path under: its items joined with dots. */
export function attributeIdentifier(path: Json[]): string {
  return path.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('.');
}

function parseGetSecret(args: Json, fail: Fail): ParsedArgs {
  if (typeof args === 'string' || isCall(args))
    return { name: 'get_secret', secret: args, keys: [] };
  // A one-item list is refused: the list form exists to reach into a JSON secret.
  if (Array.isArray(args) && args.length > 1)
    return { name: 'get_secret', secret: args[0], keys: args.slice(1) };
  return fail(
    `\`get_secret\` function argument should be a list with at least 2 elements, a string, or a dict (a function). ` +
      `Instead it is: ${show(args)}.`,
  );
}

function parseCapabilityPath(name: AnyFunctionName, args: Json, fail: Fail): Json[] {
  if (!Array.isArray(args))
    return fail(`\`${name}\` function argument should be a list. Instead it is: ${show(args)}.`);
  if (args.length < 2) {
    return fail(
      `\`${name}\` function argument should be a list with 2 elements at least - [ id, capability [, key/index...] ]. Instead it is: ${show(args)}`,
    );
  }
  args.forEach((arg, index) => {
    // get_group_capability may name several capabilities at once in its second item.
    if (name === 'get_group_capability' && index === 1 && Array.isArray(arg)) return;
    if (!isPathItem(arg)) {
      fail(
        `\`${name}\` function arguments can't be complex values; only strings/ints/functions are accepted. Instead, the item with index ${index} is ${show(arg)}`,
      );
    }
  });
  return args;
}

function parseEnvironmentCapability(args: Json, fail: Fail): Json[] {
  if (typeof args === 'string') return [args];
  if (!Array.isArray(args)) {
    return fail(
      `\`get_environment_capability\` function argument should be a string or a list of more than one item. Instead it is: ${show(args)}.`,
    );
  }
  if (args.length < 2) {
    return fail(
      `\`get_environment_capability\` function arguments can't be a list with only one item. Instead it is: ${show(args)}.`,
    );
  }
  args.forEach((arg, index) => {
    if (!isPathItem(arg)) {
      fail(
        `\`get_environment_capability\` function arguments can't be complex values; only strings/ints/functions are accepted. Instead, the item with index ${index} is ${show(arg)}`,
      );
    }
  });
  return args;
}

function parseGetSys(args: Json, fail: Fail): ParsedArgs {
  if (Array.isArray(args) && args.length >= 2 && args.every(isPathItem)) {
    return { name: 'get_sys', entity: args[0], property: args[1] };
  }
  return fail(
    `Illegal argument(s) passed to get_sys function. Expected a 2-element list identifying an entity and its ` +
      `requested property (e.g. [tenant, name] or [deployment, id]) but got ${show(args)}`,
  );
}

function parseGetLabel(args: Json, fail: Fail): GetLabelArgs {
  if (typeof args === 'string' || isCall(args)) return { key: args };
  if (Array.isArray(args) && args.length === 2) {
    const [key, index] = args;
    if (typeof key !== 'string' && !isCall(key)) {
      return fail(
        `Unable to validate \`get_label\` function: the <label-key> should be a string or a function. Instead it is ${show(key)}.`,
      );
    }
    if (Number.isInteger(index)) return { key, index: index as number };
    if (typeof index === 'string' && /^[0-9]+$/.test(index)) return { key, index: Number(index) };
    return fail(
      `Unable to validate \`get_label\` function: the <label-values list index> should be a number (in string or int form). Instead it is ${show(index)}.`,
    );
  }
  return fail(
    `Unable to validate \`get_label\` function: argument should be a list of 2 elements ([<label-key>, <index>]), ` +
      `a string (<label-key>), or a function. Instead it is ${show(args)}.`,
  );
}

function stringArgs(name: string, args: Json, min: number, max: number, fail: Fail): Json[] {
  if (Array.isArray(args) && args.length >= min && args.length <= max) return args;
  const wanted = min === max ? `exactly ${min}` : `${min} to ${max}`;
  return fail(`Unable to validate ${name} function: should be called with ${wanted} parameters`);
}

/** get_sys entities and their properties Cloudify knows. */
export const SYS_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  tenant: ['name'],
  deployment: ['id', 'name', 'blueprint', 'owner'],
};
