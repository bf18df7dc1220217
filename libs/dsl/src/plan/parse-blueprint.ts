import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { dslError, Locate } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import { ImportSources } from '../loader/import-sources';
import { LoadedBlueprint, loadBlueprint } from '../loader/load-blueprint';
import { LocalNames } from '../loader/namespace';
import { NAMESPACE_DELIMITER } from '../loader/sections';
import { compareVersions, DEFINITIONS_NAME, DSL_1_3 } from '../loader/version';
import {
  DataTypeDefinition,
  PropertySchema,
  resolveDataTypes,
  validateInputDefinitions,
} from '../schema';
import { normalizeScalingGroups } from '../instances';
import { ResolvedType, resolveTypes } from '../types/type-resolver';
import { checkFunctionPlacement } from './function-placement';
import { buildGroups, buildScalingPolicies } from './groups';
import { buildNodes } from './nodes';
import { OperationContext } from './operations';
import { DeploymentPlan } from './plan-types';
import { readPlugins } from './plugins';
import { checkVersionGates } from './version-gates';
import { buildWorkflows, workflowPlugins } from './workflows';

export interface ParseOptions {
  /** Where imports come from (files, plugins, uploaded blueprints, URLs). */
  sources?: ImportSources;
  /**
   * Whether an operation's script exists among the blueprint's resources. Default: a file beside
   * the main blueprint file (namespace prefixes removed).
   */
  resourceExists?: (path: string) => boolean;
}

/**
 * A parsed blueprint: the deployment plan before any deployment exists — `inputs` holds their
 * definitions, functions are still in place and there are no node instances yet. This is what the
 * REST service stores as a blueprint's plan; prepareDeploymentPlan turns it into a deployment's.
 */
export type BlueprintPlan = DeploymentPlan;

function defaultResourceExists(mainFile: string): (path: string) => boolean {
  const base = dirname(mainFile);
  return (path) => {
    const at = path.indexOf(NAMESPACE_DELIMITER);
    const plain =
      at > 0 && !/[/:]/.test(path.slice(0, at))
        ? path.slice(at + NAMESPACE_DELIMITER.length)
        : path;
    return existsSync(isAbsolute(plain) ? plain : resolve(base, plain));
  };
}

/** Parses a blueprint's text (its imports resolved through `options.sources`). */
export async function parseBlueprint(
  text: string,
  file: string,
  options: ParseOptions = {},
): Promise<BlueprintPlan> {
  const loaded = await loadBlueprint(text, file, options.sources);
  return buildBlueprintPlan(loaded, options.resourceExists ?? defaultResourceExists(file));
}

function section(loaded: LoadedBlueprint, name: string): JsonObject {
  const content = loaded.sections[name];
  return isObject(content) ? content : {};
}

/** The sections without what the built-in types define (those are exempt from version gates). */
function ownSections(loaded: LoadedBlueprint): JsonObject {
  const own: JsonObject = {};
  for (const [name, content] of Object.entries(loaded.sections)) {
    const builtin = (loaded.builtinNames as LocalNames)[name];
    own[name] =
      isObject(content) && builtin
        ? Object.fromEntries(Object.entries(content).filter(([key]) => !builtin.has(key)))
        : content;
  }
  return own;
}

function relationshipTypesOf(types: Map<string, ResolvedType>): JsonObject {
  const result: JsonObject = {};
  for (const [name, type] of types) {
    result[name] = {
      ...type.raw,
      name,
      properties: type.properties,
      source_interfaces: type.interfaces.source_interfaces as JsonObject,
      target_interfaces: type.interfaces.target_interfaces as JsonObject,
      type_hierarchy: type.typeHierarchy,
    };
  }
  return result;
}

function buildBlueprintPlan(
  loaded: LoadedBlueprint,
  resourceExists: (path: string) => boolean,
): BlueprintPlan {
  const { locate, version } = loaded;
  checkVersionGates(ownSections(loaded), version, locate);
  const dataTypes = section(loaded, 'data_types') as Record<string, DataTypeDefinition>;
  resolveDataTypes(dataTypes, locate);
  const inputs = section(loaded, 'inputs') as Record<string, PropertySchema>;
  validateInputDefinitions(inputs, { dataTypes, path: ['inputs'], locate, version });
  checkFunctionPlacement(loaded.sections, locate);
  const nodeTypes = resolveTypes('node_types', section(loaded, 'node_types'), locate);
  const relationshipTypes = resolveTypes('relationships', section(loaded, 'relationships'), locate);
  const plugins = readPlugins(loaded.sections.plugins, locate);
  const operations: OperationContext = { plugins, resourceExists, locate };
  const templates = section(loaded, 'node_templates');
  const nodes = buildNodes(templates, {
    nodeTypes,
    relationshipTypes,
    dataTypes,
    operations,
    locate,
    allowsScalableCapability: compareVersions(version, DSL_1_3) >= 0,
  });
  const workflows = buildWorkflows(loaded.sections.workflows, operations);
  const groups = buildGroups(loaded.sections.groups, {
    nodeNames: new Set(Object.keys(templates)),
    policyTypes: section(loaded, 'policy_types'),
    policyTriggers: section(loaded, 'policy_triggers'),
    locate,
  });
  const { policies, scalingGroups } = buildScalingPolicies(
    loaded.sections.policies,
    groups,
    locate,
  );
  const unique = (lists: JsonObject[][]) => {
    const byName = new Map<string, JsonObject>();
    for (const plugin of lists.flat()) byName.set(String(plugin.name), plugin);
    return [...byName.values()];
  };
  return {
    nodes,
    node_instances: [],
    relationships: relationshipTypesOf(relationshipTypes),
    workflows,
    inputs: inputs as unknown as JsonObject,
    outputs: valueSection(loaded, 'outputs', locate),
    capabilities: valueSection(loaded, 'capabilities', locate),
    groups,
    policies,
    scaling_groups: normalizeScalingGroups(nodes, scalingGroups),
    policy_types: section(loaded, 'policy_types'),
    policy_triggers: section(loaded, 'policy_triggers'),
    data_types: dataTypes as JsonObject,
    deployment_plugins_to_install: unique(nodes.map((n) => n.deployment_plugins_to_install)),
    workflow_plugins_to_install: workflowPlugins(workflows, plugins),
    host_agent_plugins_to_install: unique(nodes.map((n) => n.plugins_to_install)),
    description:
      typeof loaded.sections.description === 'string' ? loaded.sections.description : null,
    metadata: section(loaded, 'metadata'),
    labels: section(loaded, 'labels'),
    blueprint_labels: section(loaded, 'blueprint_labels'),
    deployment_settings: section(loaded, 'deployment_settings'),
    resource_tags: section(loaded, 'resource_tags'),
    imported_blueprints: loaded.importedBlueprints,
    namespaces_mapping: loaded.namespacesMapping,
    inter_deployment_functions: [],
    requirements: { secrets: [], parent_capabilities: [] },
    version: {
      raw: loaded.rawVersion,
      definitions_name: DEFINITIONS_NAME,
      definitions_version: [...version],
    },
  };
}

/** outputs / capabilities: name → {value, description}. */
function valueSection(
  loaded: LoadedBlueprint,
  name: 'outputs' | 'capabilities',
  locate: Locate,
): JsonObject {
  const result: JsonObject = {};
  for (const [key, raw] of Object.entries(section(loaded, name))) {
    const path = [name, key];
    if (!isObject(raw) || !('value' in raw))
      throw dslError(`${name} entries need a value`, path, { locate });
    for (const field of Object.keys(raw)) {
      if (!['value', 'description'].includes(field))
        throw dslError(`unknown field '${field}'`, [...path, field], { locate });
    }
    const entry: JsonObject = { value: raw.value as Json };
    if (raw.description !== undefined) entry.description = raw.description;
    result[key] = entry;
  }
  return result;
}
