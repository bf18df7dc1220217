import { containsFunctionCall } from '../functions/function-names';
import { dslError, Locate } from '../errors';
import { JsonObject } from '../json';
import { Interfaces, OperationDefinition } from '../types/operation-definition';
import { PlanOperation } from './plan-types';
import { SCRIPT_PLUGIN } from './plugins';

export const SCRIPT_RUN_TASK = 'script_runner.tasks.run';
export const SCRIPT_WORKFLOW_TASK = 'script_runner.tasks.execute_workflow';

/** What resolving an implementation needs to know. */
export interface OperationContext {
  plugins: Record<string, JsonObject>;
  /** Whether a script path exists among the blueprint's resources. */
  resourceExists(path: string): boolean;
  locate?: Locate;
}

export type Implementation =
  | { kind: 'plugin'; plugin: string; operation: string }
  | { kind: 'script'; plugin: string; path: string; inline: boolean }
  | { kind: 'none' };

/**
 * Resolves an implementation as Cloudify does: a URL, an existing resource file or an inline
 * (multi-line) script runs through the script plugin; otherwise its first segment must name a
 * plugin (`plugin.module.func`). Nothing matching is an error naming the mapping.
 */
export function resolveImplementation(
  mapping: string,
  ctx: OperationContext,
  path: (string | number)[],
  errorCode: number,
): Implementation {
  if (!mapping) return { kind: 'none' };
  const candidates = Object.keys(ctx.plugins).filter((plugin) => mapping.startsWith(`${plugin}.`));
  const isUrl = /^https?:\/\//.test(mapping);
  const inline = !isUrl && mapping.trim().includes('\n');
  if (isUrl || inline || ctx.resourceExists(mapping)) {
    return { kind: 'script', plugin: scriptPlugin(ctx, mapping, path), path: mapping, inline };
  }
  if (candidates.length > 1) {
    throw dslError(
      `ambiguous mapping '${mapping}': plugins ${candidates.join(', ')} all match`,
      path,
      {
        code: 91,
        locate: ctx.locate,
      },
    );
  }
  if (candidates.length === 1) {
    const plugin = candidates[0];
    return { kind: 'plugin', plugin, operation: mapping.slice(plugin.length + 1) };
  }
  throw dslError(
    `'${mapping}' names no declared plugin and no script file of the blueprint`,
    path,
    { code: errorCode, locate: ctx.locate },
  );
}

function scriptPlugin(ctx: OperationContext, mapping: string, path: (string | number)[]): string {
  // Namespaced imports may declare `ns--script`; they all point at the one script plugin.
  const plugin = Object.keys(ctx.plugins).find(
    (name) => name === SCRIPT_PLUGIN || name.endsWith(`--${SCRIPT_PLUGIN}`),
  );
  if (!plugin) {
    throw dslError(
      `'${mapping}' needs the script plugin, which is not declared (import the built-in types)`,
      path,
      {
        code: 61,
        locate: ctx.locate,
      },
    );
  }
  return plugin;
}

/** One operation of a node or relationship as a plan op dict. */
export function planOperation(
  definition: OperationDefinition,
  ctx: OperationContext,
  path: (string | number)[],
  errorCode = 10,
): PlanOperation {
  const implementation = resolveImplementation(
    definition.implementation,
    ctx,
    [...path, 'implementation'],
    errorCode,
  );
  const base = {
    max_retries: definition.max_retries,
    retry_interval: definition.retry_interval,
    timeout: definition.timeout,
    timeout_recoverable: definition.timeout_recoverable,
  };
  if (implementation.kind === 'none') {
    return {
      operation: '',
      plugin: '',
      executor: null,
      inputs: {},
      has_intrinsic_functions: false,
      ...base,
    };
  }
  let inputs: JsonObject = definition.inputs;
  let operation: string;
  let executor = definition.executor;
  if (implementation.kind === 'script') {
    const property = implementation.inline ? 'script_source' : 'script_path';
    if ('script_path' in inputs || 'script_source' in inputs) {
      throw dslError(
        `cannot give '${property}' in the inputs of a script operation`,
        [...path, 'inputs'],
        {
          code: 60,
          locate: ctx.locate,
        },
      );
    }
    inputs = { ...inputs, [property]: implementation.path };
    operation = SCRIPT_RUN_TASK;
    executor = executor ?? 'auto';
  } else {
    operation = implementation.operation;
    executor = executor ?? (ctx.plugins[implementation.plugin].executor as string);
  }
  return {
    operation,
    plugin: implementation.plugin,
    executor,
    inputs,
    has_intrinsic_functions: containsFunctionCall(inputs),
    ...base,
  };
}

/**
 * A node's (or relationship side's) `operations`: each under `<interface>.<op>`, and under the bare
 * `<op>` too unless two interfaces share that name.
 */
export function planOperations(
  interfaces: Interfaces,
  ctx: OperationContext,
  path: (string | number)[],
  errorCode = 10,
): Record<string, PlanOperation> {
  const operations: Record<string, PlanOperation> = {};
  const ambiguous = new Set<string>();
  for (const [interfaceName, ops] of Object.entries(interfaces)) {
    for (const [opName, definition] of Object.entries(ops)) {
      const op = planOperation(definition, ctx, [...path, interfaceName, opName], errorCode);
      if (opName in operations || ambiguous.has(opName)) ambiguous.add(opName);
      else operations[opName] = op;
      operations[`${interfaceName}.${opName}`] = op;
    }
  }
  for (const name of ambiguous) delete operations[name];
  return operations;
}
