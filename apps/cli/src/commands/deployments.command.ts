import { Command } from 'commander';
import { parseInputs } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { deleteDeployment } from '../manager/deployment-deletion';
import { ListOptions, listQuery, withListOptions } from '../manager/list-options';

const collect = (value: string, previous: string[]) => [...previous, value];

const COLUMNS = [
  'id',
  'display_name',
  'blueprint_id',
  'created_at',
  'updated_at',
  'visibility',
  'tenant_name',
  'created_by',
  'site_name',
  'latest_execution_status',
  'deployment_status',
];

interface CreateOptions extends ConnectionOptions {
  blueprintId: string;
  inputs: string[];
  displayName?: string;
  siteName?: string;
  visibility: 'private' | 'tenant' | 'global';
  skipPluginsValidation?: boolean;
}

/** `nestify deployments create|list|get|outputs|capabilities|delete`. */
export function deploymentsCommand(): Command {
  const deployments = new Command('deployments')
    .alias('deployment')
    .description('deployments of blueprints on the manager');
  withConnectionOptions(
    deployments
      .command('create <deployment-id>')
      .description('create a deployment of an uploaded blueprint')
      .requiredOption('-b, --blueprint-id <id>', 'the blueprint')
      .option(
        '-i, --inputs <inputs>',
        'inputs: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
        collect,
        [],
      )
      .option('--display-name <name>', 'a display name')
      .option('--site-name <name>', 'the site of the deployment')
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant')
      .option('--skip-plugins-validation', 'do not check that its plugins are uploaded'),
  ).action(async (id: string, options: CreateOptions) => {
    const { client, out } = contextOf(options);
    out.info(`Creating new deployment from blueprint ${options.blueprintId}...`);
    const deployment = await client.deployments.create(id, {
      blueprint_id: options.blueprintId,
      inputs: parseInputs(options.inputs),
      visibility: options.visibility,
      display_name: options.displayName,
      site_name: options.siteName,
      skip_plugins_validation: Boolean(options.skipPluginsValidation),
    });
    out.info(`Deployment created. The deployment's id is ${deployment.id}`);
    if (out.json) out.writeJson(deployment);
  });
  withListOptions(
    withConnectionOptions(
      deployments
        .command('list')
        .description('list the deployments')
        .option('-b, --blueprint-id <id>', 'only deployments of this blueprint'),
    ),
  ).action(async (options: ConnectionOptions & ListOptions & { blueprintId?: string }) => {
    const { client, out } = contextOf(options);
    const page = await client.deployments.list(
      listQuery(options, { blueprint_id: options.blueprintId }),
    );
    out.list('Deployments', page.items, COLUMNS);
  });
  withConnectionOptions(
    deployments.command('get <deployment-id>').description('show a deployment'),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    const deployment = await client.deployments.get(id);
    out.object(deployment, [...COLUMNS, 'installation_status', 'inputs']);
  });
  withConnectionOptions(
    deployments
      .command('outputs <deployment-id>')
      .description("a deployment's outputs, evaluated now"),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    const { outputs } = await client.deployments.outputs(id);
    if (out.json) return out.writeJson(outputs);
    out.info(`Deployment outputs:`);
    out.object(outputs);
  });
  withConnectionOptions(
    deployments
      .command('capabilities <deployment-id>')
      .description("a deployment's capabilities, evaluated now"),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    const { capabilities } = await client.deployments.capabilities(id);
    if (out.json) return out.writeJson(capabilities);
    out.info(`Deployment capabilities:`);
    out.object(capabilities);
  });
  withConnectionOptions(
    deployments
      .command('delete <deployment-id>')
      .description('delete a deployment and wait until it is gone')
      .option('-f, --force', 'delete even if it has live node instances')
      .option('--with-logs', 'also delete its logs and events'),
  ).action(
    async (id: string, options: ConnectionOptions & { force?: boolean; withLogs?: boolean }) => {
      const { client, out } = contextOf(options);
      out.info(`Trying to delete deployment ${id}...`);
      await deleteDeployment(client, id, { force: options.force, deleteLogs: options.withLogs });
      out.info(`Deployment deleted`);
      if (out.json) out.writeJson({ id, deleted: true });
    },
  );
  return deployments;
}
