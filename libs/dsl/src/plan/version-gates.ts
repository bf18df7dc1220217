import { DSL_ERROR_CODES, dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import {
  compareVersions,
  DSL_1_1,
  DSL_1_2,
  DSL_1_3,
  DSL_1_4,
  DSL_1_5,
  DslVersion,
  versionName,
} from '../loader/version';

interface Gate {
  since: DslVersion;
  what: string;
  /** Paths where the feature is used, if it is. */
  find(sections: JsonObject): (string | number)[][];
}

const sectionUsed =
  (section: string) =>
  (sections: JsonObject): (string | number)[][] =>
    isObject(sections[section]) && Object.keys(sections[section] as JsonObject).length > 0
      ? [[section]]
      : [];

/** Paths of operation fields (`executor`, `max_retries`, …) in every interface of types and templates. */
function operationFields(field: string) {
  return (sections: JsonObject): (string | number)[][] => {
    const found: (string | number)[][] = [];
    const scan = (interfaces: Json | undefined, path: (string | number)[]) => {
      if (!isObject(interfaces)) return;
      for (const [name, ops] of Object.entries(interfaces)) {
        if (!isObject(ops)) continue;
        for (const [op, definition] of Object.entries(ops)) {
          if (isObject(definition) && field in definition) found.push([...path, name, op, field]);
        }
      }
    };
    for (const section of ['node_types', 'node_templates', 'relationships']) {
      const content = sections[section];
      if (!isObject(content)) continue;
      for (const [name, definition] of Object.entries(content)) {
        if (!isObject(definition)) continue;
        for (const key of ['interfaces', 'source_interfaces', 'target_interfaces'])
          scan(definition[key], [section, name, key]);
        if (Array.isArray(definition.relationships)) {
          definition.relationships.forEach((rel, index) => {
            if (!isObject(rel)) return;
            for (const key of ['source_interfaces', 'target_interfaces'])
              scan(rel[key], [section, name, 'relationships', index, key]);
          });
        }
      }
    }
    return found;
  };
}

function pluginFields(fields: string[]) {
  return (sections: JsonObject): (string | number)[][] => {
    const plugins = sections.plugins;
    if (!isObject(plugins)) return [];
    const found: (string | number)[][] = [];
    for (const [name, plugin] of Object.entries(plugins)) {
      if (!isObject(plugin)) continue;
      for (const field of fields) if (field in plugin) found.push(['plugins', name, field]);
    }
    return found;
  };
}

const presentAt =
  (key: string) =>
  (sections: JsonObject): (string | number)[][] =>
    sections[key] !== undefined && sections[key] !== null ? [[key]] : [];

/** Paths of a field of named definitions, e.g. workflows' `availability_rules`. */
function definitionFields(section: string, field: string) {
  return (sections: JsonObject): (string | number)[][] => {
    const content = sections[section];
    if (!isObject(content)) return [];
    return Object.entries(content)
      .filter(([, definition]) => isObject(definition) && field in definition)
      .map(([name]) => [section, name, field]);
  };
}

/** Paths of a field of property schemas (`required`) in types and data types. */
function schemaFields(field: string) {
  return (sections: JsonObject): (string | number)[][] => {
    const found: (string | number)[][] = [];
    for (const section of ['node_types', 'relationships', 'data_types']) {
      const content = sections[section];
      if (!isObject(content)) continue;
      for (const [name, definition] of Object.entries(content)) {
        if (!isObject(definition) || !isObject(definition.properties)) continue;
        for (const [property, schema] of Object.entries(definition.properties))
          if (isObject(schema) && field in schema)
            found.push([section, name, 'properties', property, field]);
      }
    }
    return found;
  };
}

function templateCapabilities(sections: JsonObject): (string | number)[][] {
  const templates = sections.node_templates;
  if (!isObject(templates)) return [];
  return Object.entries(templates)
    .filter(([, template]) => isObject(template) && 'capabilities' in template)
    .map(([name]) => ['node_templates', name, 'capabilities']);
}

/** Features newer than a blueprint's declared version (shared/spec/dsl.md §1). */
const GATES: Gate[] = [
  // Cloudify's Description and DSLDefinitions elements validate_version (1, 2).
  { since: DSL_1_2, what: 'description', find: presentAt('description') },
  { since: DSL_1_2, what: 'dsl_definitions', find: presentAt('dsl_definitions') },
  { since: DSL_1_2, what: "property schema 'required'", find: schemaFields('required') },
  { since: DSL_1_3, what: 'resource_tags', find: sectionUsed('resource_tags') },
  {
    since: DSL_1_4,
    what: 'workflow availability_rules',
    find: definitionFields('workflows', 'availability_rules'),
  },
  { since: DSL_1_5, what: 'plugin properties', find: pluginFields(['properties']) },
  { since: DSL_1_1, what: 'operation executor', find: operationFields('executor') },
  { since: DSL_1_1, what: 'plugin install_arguments', find: pluginFields(['install_arguments']) },
  {
    since: DSL_1_2,
    what: 'plugin package and platform fields',
    find: pluginFields([
      'package_name',
      'package_version',
      'supported_platform',
      'distribution',
      'distribution_version',
      'distribution_release',
    ]),
  },
  { since: DSL_1_2, what: 'data_types', find: sectionUsed('data_types') },
  { since: DSL_1_2, what: 'operation max_retries', find: operationFields('max_retries') },
  { since: DSL_1_2, what: 'operation retry_interval', find: operationFields('retry_interval') },
  { since: DSL_1_3, what: 'capabilities', find: sectionUsed('capabilities') },
  { since: DSL_1_3, what: 'node template capabilities', find: templateCapabilities },
  { since: DSL_1_3, what: 'policies', find: sectionUsed('policies') },
  { since: DSL_1_4, what: 'labels', find: sectionUsed('labels') },
  { since: DSL_1_4, what: 'blueprint_labels', find: sectionUsed('blueprint_labels') },
  {
    since: DSL_1_5,
    what: 'plugin properties_description',
    find: pluginFields(['properties_description']),
  },
];

/**
 * Refuses features newer than the blueprint's `tosca_definitions_version`, naming the version
 * that introduced them. The built-in types are not checked (they serve every version).
 */
export function checkVersionGates(
  sections: JsonObject,
  version: DslVersion,
  locate?: Locate,
): void {
  for (const gate of GATES) {
    if (compareVersions(version, gate.since) >= 0) continue;
    const [first] = gate.find(sections);
    if (first) {
      throw dslError(
        `${gate.what} requires ${versionName(gate.since)} or newer (the blueprint declares ${versionName(version)})`,
        first,
        // Cloudify raises every version gate as a definitions version mismatch.
        { code: DSL_ERROR_CODES.versionMismatch, locate },
      );
    }
  }
}
