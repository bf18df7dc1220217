import { Command } from 'commander';
import { addListCommand } from '../manager/resource-commands';

/** `nestify nodes list [-d deployment]`. */
export function nodesCommand(): Command {
  const nodes = new Command('nodes').description("deployments' nodes");
  addListCommand(nodes, {
    title: 'Nodes',
    columns: [
      'id',
      'deployment_id',
      'blueprint_id',
      'host_id',
      'type',
      'number_of_instances',
      'planned_number_of_instances',
      'visibility',
      'tenant_name',
      'created_by',
    ],
    list: (client, query) => client.nodes.list(query),
    options: (command) => command.option('-d, --deployment-id <id>', 'only this deployment'),
    filters: (options) => ({ deployment_id: options.deploymentId as string | undefined }),
  });
  return nodes;
}
