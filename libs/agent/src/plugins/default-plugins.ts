import { join } from 'node:path';
import { SCRIPT_PLUGIN } from '../script/script.plugin';
import { PluginRegistry } from '../worker/plugin-registry';
import { agentInstallerPlugin, PingAgent } from './agent-installer.plugin';
import { NOOP_PLUGIN } from './noop.plugin';

/**
 * The plugins every worker has (script, noop) plus those installed under `<dataDir>/plugins`;
 * with `pingAgent` (a worker that can reach agents' exchanges) also the agent installer.
 */
export function defaultPluginRegistry(dataDir?: string, pingAgent?: PingAgent): PluginRegistry {
  const builtins = [SCRIPT_PLUGIN, NOOP_PLUGIN];
  if (pingAgent) builtins.push(agentInstallerPlugin(pingAgent));
  return new PluginRegistry(builtins, dataDir ? join(dataDir, 'plugins') : undefined);
}
