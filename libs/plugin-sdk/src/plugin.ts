import type { OperationContext } from './context';
import type { JsonMap } from './json';

/** An operation: `ctx` plus the operation's inputs; what it returns is the task's result. */
export type OperationFunction = (ctx: OperationContext, inputs: JsonMap) => unknown;

export interface PluginDefinition {
  /** The plugin name blueprints declare (`__cloudify_context.plugin.name`). */
  name: string;
  /**
   * Prefix of the task names the operations answer to, e.g. `my_plugin` for a task
   * `my_plugin.tasks.run` with operation `tasks.run`. Without it, an operation answers to every
   * task name ending with `.<operation key>`.
   */
  module?: string;
  operations: Record<string, OperationFunction>;
  /**
   * Whether `ctx.node`/`ctx.instance` (or source/target) are read before the operation runs
   * (default true). Plugins that never look at them skip the REST round trips.
   */
  preload?: boolean;
}

const PLUGIN_MARK = Symbol.for('nestify.plugin');

/** Declares a TypeScript plugin; an npm package default-exports what this returns. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  if (!definition.name) throw new TypeError('a plugin needs a name');
  for (const [key, fn] of Object.entries(definition.operations)) {
    if (typeof fn !== 'function') throw new TypeError(`operation ${key} is not a function`);
  }
  return Object.assign({ [PLUGIN_MARK]: true }, definition);
}

/** Whether a loaded module export looks like a plugin definition. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PluginDefinition>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.operations === 'object' &&
    candidate.operations !== null
  );
}

/** The operation of `plugin` a task name asks for, or undefined. */
export function findOperation(
  plugin: PluginDefinition,
  taskName: string,
): OperationFunction | undefined {
  const operations = plugin.operations;
  if (plugin.module) {
    const prefix = `${plugin.module}.`;
    if (!taskName.startsWith(prefix)) return undefined;
    const key = taskName.slice(prefix.length);
    return Object.hasOwn(operations, key) ? operations[key] : undefined;
  }
  if (Object.hasOwn(operations, taskName)) return operations[taskName];
  const key = Object.keys(operations).find((name) => taskName.endsWith(`.${name}`));
  return key === undefined ? undefined : operations[key];
}
