import { dslError } from '../errors';
import { isObject, Json, JsonObject } from '../json';
import { OperationContext, resolveImplementation, SCRIPT_WORKFLOW_TASK } from './operations';

const WORKFLOW_KEYS = new Set(['mapping', 'parameters', 'is_cascading', 'availability_rules']);

/**
 * The plan's `workflows`: name → {plugin, operation, parameters, is_cascading, availability_rules}.
 * A script mapping runs through the script plugin's execute_workflow with `script_path` as a
 * parameter whose default is the script.
 */
export function buildWorkflows(
  section: Json | undefined,
  ctx: OperationContext,
): Record<string, JsonObject> {
  const workflows: Record<string, JsonObject> = {};
  if (!isObject(section)) return workflows;
  for (const [name, raw] of Object.entries(section)) {
    const path = ['workflows', name];
    const definition: JsonObject =
      typeof raw === 'string' ? { mapping: raw } : isObject(raw) ? raw : {};
    if (!isObject(raw) && typeof raw !== 'string') {
      throw dslError('a workflow is a mapping string or a mapping', path, { locate: ctx.locate });
    }
    for (const key of Object.keys(definition)) {
      if (!WORKFLOW_KEYS.has(key))
        throw dslError(`unknown workflow field '${key}'`, [...path, key], { locate: ctx.locate });
    }
    if (typeof definition.mapping !== 'string' || !definition.mapping) {
      throw dslError('a workflow needs a mapping', [...path, 'mapping'], { locate: ctx.locate });
    }
    const parameters = isObject(definition.parameters) ? { ...definition.parameters } : {};
    const implementation = resolveImplementation(definition.mapping, ctx, [...path, 'mapping'], 21);
    let plugin = '';
    let operation = '';
    if (implementation.kind === 'script') {
      plugin = implementation.plugin;
      operation = SCRIPT_WORKFLOW_TASK;
      const property = implementation.inline ? 'script_source' : 'script_path';
      parameters[property] = {
        default: implementation.path,
        description: 'The workflow script the script plugin runs',
      };
    } else if (implementation.kind === 'plugin') {
      plugin = implementation.plugin;
      operation = implementation.operation;
    }
    workflows[name] = {
      plugin,
      operation,
      parameters,
      is_cascading: definition.is_cascading ?? false,
      availability_rules: definition.availability_rules ?? null,
    };
  }
  return workflows;
}

/** The plugins the workflows run in, once each, in first-use order. */
export function workflowPlugins(
  workflows: Record<string, JsonObject>,
  plugins: Record<string, JsonObject>,
): JsonObject[] {
  const used = new Map<string, JsonObject>();
  for (const workflow of Object.values(workflows)) {
    const name = String(workflow.plugin);
    if (name && plugins[name] && !used.has(name)) used.set(name, plugins[name]);
  }
  return [...used.values()];
}
