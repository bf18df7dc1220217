import { join } from 'node:path';
import { SCRIPT_PLUGIN } from '../script/script.plugin';
import { PluginRegistry } from '../worker/plugin-registry';
import { agentInstallerPlugin, PingAgent } from './agent-installer.plugin';
import { NOOP_PLUGIN } from './noop.plugin';

/**
 * The plugins every worker has (script, noop, agent) plus those installed under
 * `<dataDir>/plugins`; `pingAgent` lets the agent plugin wait for host agents.
 */
export function defaultPluginRegistry(dataDir?: string, pingAgent?: PingAgent): PluginRegistry {
  return new PluginRegistry(
    [SCRIPT_PLUGIN, NOOP_PLUGIN, agentInstallerPlugin(pingAgent)],
    dataDir ? join(dataDir, 'plugins') : undefined,
  );
}
