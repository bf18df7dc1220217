import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { parseCall } from '../functions';
import { isObject, Json, JsonObject } from '../json';

type Path = (string | number)[];

/** Which relative node names a place allows. */
type Allowed = ReadonlySet<string>;
const NODE_REFS: Allowed = new Set(['SELF']);
const RELATIONSHIP_REFS: Allowed = new Set(['SOURCE', 'TARGET']);
const NO_REFS: Allowed = new Set();
const RELATIVE = new Set(['SELF', 'SOURCE', 'TARGET']);
const NODE_FUNCTIONS = new Set([
  'get_property',
  'get_attribute',
  'get_attributes_list',
  'get_attributes_dict',
]);

interface Walk {
  inputs: JsonObject;
  locate?: Locate;
}

/**
 * Parse-time checks of where functions stand, so a blueprint fails at upload, with a line, not at
 * deployment: SELF/SOURCE/TARGET only where they mean something (code 219), and get_input only
 * of inputs the blueprint declares.
 */
export function checkFunctionPlacement(sections: JsonObject, locate?: Locate): void {
  const walk: Walk = { inputs: isObject(sections.inputs) ? sections.inputs : {}, locate };
  const templates = isObject(sections.node_templates) ? sections.node_templates : {};
  for (const [name, template] of Object.entries(templates)) {
    if (!isObject(template)) continue;
    const path = ['node_templates', name];
    visit(template.properties, [...path, 'properties'], NODE_REFS, walk);
    visit(template.interfaces, [...path, 'interfaces'], NODE_REFS, walk);
    if (!Array.isArray(template.relationships)) continue;
    template.relationships.forEach((rel, index) => {
      if (isObject(rel)) visit(rel, [...path, 'relationships', index], RELATIONSHIP_REFS, walk);
    });
  }
  for (const section of ['outputs', 'capabilities']) {
    const entries = sections[section];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      if (isObject(entry)) visit(entry.value, [section, name, 'value'], NO_REFS, walk);
    }
  }
}

function visit(value: Json | undefined, path: Path, allowed: Allowed, walk: Walk): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => visit(item, [...path, index], allowed, walk));
    return;
  }
  if (!isObject(value)) return;
  const call = parseCall(value);
  if (call) {
    checkCall(call.name, call.args, [...path, call.name], allowed, walk);
    visit(call.args, [...path, call.name], allowed, walk);
    return;
  }
  for (const [key, item] of Object.entries(value)) visit(item, [...path, key], allowed, walk);
}

function checkCall(name: string, args: Json, path: Path, allowed: Allowed, walk: Walk): void {
  if (NODE_FUNCTIONS.has(name) && Array.isArray(args) && typeof args[0] === 'string') {
    const node = args[0];
    if (RELATIVE.has(node) && !allowed.has(node)) {
      throw dslError(`${node} cannot be used with ${name} here`, path, {
        code: DSL_ERROR_CODES.functionNotPermitted,
        locate: walk.locate,
      });
    }
  }
  if (name === 'get_input') {
    const input = Array.isArray(args) ? args[0] : args;
    if (typeof input === 'string' && !(input in walk.inputs)) {
      throw dslError(`get_input function references an unknown input '${input}'`, path, {
        locate: walk.locate,
      });
    }
  }
}
