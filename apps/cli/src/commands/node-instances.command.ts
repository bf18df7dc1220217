import { Command } from 'commander';
import { addGetCommand, addListCommand } from '../manager/resource-commands';

const COLUMNS = [
  'id',
  'deployment_id',
  'host_id',
  'node_id',
  'state',
  'visibility',
  'tenant_name',
  'created_by',
];

/** `nestify node-instances list|get`. */
export function nodeInstancesCommand(): Command {
  const instances = new Command('node-instances').description("deployments' node instances");
  addListCommand(instances, {
    title: 'Node instances',
    columns: COLUMNS,
    list: (client, query) => client.nodeInstances.list(query),
    options: (command) =>
      command
        .option('-d, --deployment-id <id>', 'only this deployment')
        .option('-n, --node-name <id>', 'only instances of this node'),
    filters: (options) => ({
      deployment_id: options.deploymentId as string | undefined,
      node_id: options.nodeName as string | undefined,
    }),
  });
  addGetCommand(
    instances,
    'node-instance-id',
    [...COLUMNS, 'version', 'runtime_properties'],
    (c, id) => c.nodeInstances.get(id),
  );
  return instances;
}
