import { isFunctionCall } from '../functions/function-names';
import { isObject, Json, JsonObject } from '../json';
import { NAMESPACE_DELIMITER } from './sections';

/** Names a namespaced import defines, per section; only these get the prefix. */
export type LocalNames = Record<string, Set<string>>;

const RELATIVE_NODE_REFS = new Set(['SELF', 'SOURCE', 'TARGET']);

/**
 * Prefixes everything a namespaced import defines with `<ns>--`, and every reference to those
 * definitions inside it (types, derived_from, targets, plugins in implementations, scripts,
 * get_input and node names in functions). Built-in Cloudify types are never namespaced.
 */
export class Namespacer {
  private readonly prefix: string;

  constructor(
    namespace: string,
    private readonly local: LocalNames,
  ) {
    this.prefix = `${namespace}${NAMESPACE_DELIMITER}`;
  }

  name(section: string, name: string): string {
    return this.local[section]?.has(name) ? this.prefix + name : name;
  }

  applyToSections(sections: JsonObject): JsonObject {
    const result: JsonObject = {};
    for (const [section, content] of Object.entries(sections)) {
      if (!isObject(content)) {
        result[section] = content;
        continue;
      }
      const renamed: JsonObject = {};
      for (const [key, definition] of Object.entries(content)) {
        // Built-in definitions stay as they are, so they still equal the ones other files import.
        renamed[this.name(section, key)] = this.local[section]?.has(key)
          ? this.definition(section, definition)
          : definition;
      }
      result[section] = renamed;
    }
    return result;
  }

  private definition(section: string, value: Json): Json {
    if (!isObject(value)) return value;
    const copy: JsonObject = { ...value };
    switch (section) {
      case 'node_types':
      case 'relationships':
      case 'data_types':
        if (typeof copy.derived_from === 'string')
          copy.derived_from = this.name(section, copy.derived_from);
        if ('properties' in copy) copy.properties = this.schemas(copy.properties);
        for (const key of ['interfaces', 'source_interfaces', 'target_interfaces'])
          if (key in copy) copy[key] = this.interfaces(copy[key]);
        break;
      case 'node_templates':
        return this.nodeTemplate(copy);
      case 'inputs':
        if (typeof copy.type === 'string') copy.type = this.name('data_types', copy.type);
        if ('default' in copy) copy.default = this.functions(copy.default);
        break;
      case 'workflows':
        if (typeof copy.mapping === 'string') copy.mapping = this.implementation(copy.mapping);
        break;
      case 'groups':
        return this.group(copy);
      case 'policies':
        if (Array.isArray(copy.targets))
          copy.targets = copy.targets.map((t) =>
            typeof t === 'string' ? this.name('groups', t) : t,
          );
        copy.properties = this.functions(copy.properties ?? null);
        break;
      case 'outputs':
      case 'capabilities':
        if ('value' in copy) copy.value = this.functions(copy.value);
        break;
    }
    return copy;
  }

  private nodeTemplate(template: JsonObject): JsonObject {
    if (typeof template.type === 'string') template.type = this.name('node_types', template.type);
    if ('properties' in template) template.properties = this.functions(template.properties);
    if ('interfaces' in template) template.interfaces = this.interfaces(template.interfaces);
    if (Array.isArray(template.relationships)) {
      template.relationships = template.relationships.map((rel) => {
        if (!isObject(rel)) return rel;
        const copy: JsonObject = { ...rel };
        if (typeof copy.type === 'string') copy.type = this.name('relationships', copy.type);
        if (typeof copy.target === 'string') copy.target = this.name('node_templates', copy.target);
        if ('properties' in copy) copy.properties = this.functions(copy.properties);
        for (const key of ['source_interfaces', 'target_interfaces'])
          if (key in copy) copy[key] = this.interfaces(copy[key]);
        return copy;
      });
    }
    return template;
  }

  private group(group: JsonObject): JsonObject {
    if (Array.isArray(group.members)) {
      group.members = group.members.map((m) =>
        typeof m === 'string' ? this.name('node_templates', this.name('groups', m)) : m,
      );
    }
    if (isObject(group.policies)) {
      const policies: JsonObject = {};
      for (const [name, policy] of Object.entries(group.policies)) {
        if (!isObject(policy)) {
          policies[name] = policy;
          continue;
        }
        const copy: JsonObject = { ...policy };
        if (typeof copy.type === 'string') copy.type = this.name('policy_types', copy.type);
        if (isObject(copy.triggers)) {
          const triggers: JsonObject = {};
          for (const [triggerName, trigger] of Object.entries(copy.triggers)) {
            triggers[triggerName] =
              isObject(trigger) && typeof trigger.type === 'string'
                ? { ...trigger, type: this.name('policy_triggers', trigger.type) }
                : trigger;
          }
          copy.triggers = triggers;
        }
        policies[name] = copy;
      }
      group.policies = policies;
    }
    return group;
  }

  private schemas(properties: Json | undefined): Json {
    if (!isObject(properties)) return properties ?? null;
    const result: JsonObject = {};
    for (const [name, schema] of Object.entries(properties)) {
      result[name] =
        isObject(schema) && typeof schema.type === 'string'
          ? { ...schema, type: this.name('data_types', schema.type) }
          : schema;
    }
    return result;
  }

  private interfaces(interfaces: Json): Json {
    if (!isObject(interfaces)) return interfaces;
    const result: JsonObject = {};
    for (const [name, operations] of Object.entries(interfaces)) {
      if (!isObject(operations)) {
        result[name] = operations;
        continue;
      }
      const ops: JsonObject = {};
      for (const [op, definition] of Object.entries(operations)) {
        if (typeof definition === 'string') ops[op] = this.implementation(definition);
        else if (isObject(definition)) {
          const copy: JsonObject = { ...definition };
          if (typeof copy.implementation === 'string')
            copy.implementation = this.implementation(copy.implementation);
          if ('inputs' in copy) copy.inputs = this.functions(copy.inputs);
          ops[op] = copy;
        } else ops[op] = definition;
      }
      result[name] = ops;
    }
    return result;
  }

  /** `plugin.module.func` of a local plugin, or a script path, gets the prefix. */
  private implementation(implementation: string): string {
    if (!implementation || /^https?:\/\//.test(implementation)) return implementation;
    const plugin = implementation.split('.')[0];
    if (this.local.plugins?.has(plugin)) return this.prefix + implementation;
    const knownPlugin = [...(this.local.plugins ?? [])].some((p) =>
      implementation.startsWith(`${p}.`),
    );
    if (knownPlugin || !looksLikeScript(implementation)) return implementation;
    return this.prefix + implementation;
  }

  private functions(value: Json): Json {
    if (Array.isArray(value)) return value.map((item) => this.functions(item));
    if (!isObject(value)) return value;
    if (isFunctionCall(value)) {
      const [name] = Object.keys(value);
      return { [name]: this.functionArgs(name, value[name]) };
    }
    const object: JsonObject = value;
    const result: JsonObject = {};
    for (const key of Object.keys(object)) result[key] = this.functions(object[key]);
    return result;
  }

  private functionArgs(name: string, args: Json): Json {
    if (name === 'get_input') {
      if (typeof args === 'string') return this.name('inputs', args);
      if (Array.isArray(args) && typeof args[0] === 'string')
        return [this.name('inputs', args[0]), ...args.slice(1).map((a) => this.functions(a))];
    }
    if ((name === 'get_property' || name === 'get_attribute') && Array.isArray(args)) {
      const [node, ...rest] = args;
      if (typeof node === 'string' && !RELATIVE_NODE_REFS.has(node))
        return [this.name('node_templates', node), ...rest.map((a) => this.functions(a))];
    }
    return this.functions(args);
  }
}

/** A mapping that is not `plugin.module.function` reads as a file path (has a slash or an extension). */
function looksLikeScript(implementation: string): boolean {
  return implementation.includes('/') || /\.(sh|py|ps1|bat|rb|pl|js)$/.test(implementation);
}
