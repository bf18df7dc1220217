import { join } from 'node:path';
import {
  findOperation,
  isPluginDefinition,
  NonRecoverableError,
  type OperationFunction,
  type PluginDefinition,
} from '@nestify/plugin-sdk';

const PLUGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ResolvedOperation {
  plugin: PluginDefinition;
  operation: OperationFunction;
}

/**
 * The plugins a worker can run: built-ins registered in code, and npm packages installed under
 * `<pluginsDir>/<plugin name>` whose default export is a `definePlugin(…)` definition, loaded on
 * first use.
 */
export class PluginRegistry {
  private readonly plugins = new Map<string, PluginDefinition>();

  constructor(
    builtins: PluginDefinition[] = [],
    private readonly pluginsDir?: string,
  ) {
    for (const plugin of builtins) this.register(plugin);
  }

  register(plugin: PluginDefinition): void {
    this.plugins.set(plugin.name, plugin);
  }

  /** The operation a task asks for; NonRecoverableError when the plugin or operation is unknown. */
  resolve(pluginName: string | undefined, taskName: string): ResolvedOperation {
    if (!pluginName) throw new NonRecoverableError(`task ${taskName} names no plugin`);
    const plugin = this.plugins.get(pluginName) ?? this.loadFromDirectory(pluginName);
    const operation = findOperation(plugin, taskName);
    if (!operation) {
      throw new NonRecoverableError(`plugin ${pluginName} has no operation for task ${taskName}`);
    }
    return { plugin, operation };
  }

  private loadFromDirectory(name: string): PluginDefinition {
    if (!this.pluginsDir || !PLUGIN_NAME.test(name) || name.includes('..')) {
      throw new NonRecoverableError(`plugin ${name} is not installed on this worker`);
    }
    const directory = join(this.pluginsDir, name);
    let loaded: unknown;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(directory);
    } catch (error) {
      throw new NonRecoverableError(
        `plugin ${name} is not installed on this worker (${directory}): ${(error as Error).message}`,
      );
    }
    const definition = (loaded as { default?: unknown }).default ?? loaded;
    if (!isPluginDefinition(definition)) {
      throw new NonRecoverableError(`${directory} does not export a plugin definition`);
    }
    const plugin = { ...definition, name };
    this.register(plugin);
    return plugin;
  }
}
