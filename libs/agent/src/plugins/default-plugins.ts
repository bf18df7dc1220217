import { join } from 'node:path';
import { SCRIPT_PLUGIN } from '../script/script.plugin';
import { PluginRegistry } from '../worker/plugin-registry';
import { NOOP_PLUGIN } from './noop.plugin';

/** The plugins every worker has (script, noop) plus those installed under `<dataDir>/plugins`. */
export function defaultPluginRegistry(dataDir?: string): PluginRegistry {
  return new PluginRegistry(
    [SCRIPT_PLUGIN, NOOP_PLUGIN],
    dataDir ? join(dataDir, 'plugins') : undefined,
  );
}
