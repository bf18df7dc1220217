import { Command } from 'commander';
import { addListCommand } from '../manager/resource-commands';

/** `nestify agents list`: the host agents the manager knows (`nestify agent start` runs one). */
export function agentsCommand(): Command {
  const agents = new Command('agents').description('host agents known to the manager');
  addListCommand(agents, {
    title: 'Agents',
    columns: [
      'id',
      'ip',
      'deployment',
      'node',
      'system',
      'version',
      'install_method',
      'state',
      'tenant_name',
    ],
    list: (client, query) => client.agents.list(query),
    options: (command) => command.option('-d, --deployment-id <id>', 'only this deployment'),
    filters: (options) => ({ deployment_id: options.deploymentId as string | undefined }),
  });
  return agents;
}
