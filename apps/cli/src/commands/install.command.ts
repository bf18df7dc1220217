import { Command } from 'commander';
import { blueprintSource } from '../blueprints/blueprint-source';
import { followExecution } from '../follow/execution-follower';
import { parseInputs } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';

const collect = (value: string, previous: string[]) => [...previous, value];

interface InstallOptions extends ConnectionOptions {
  blueprintId?: string;
  deploymentId?: string;
  blueprintFilename?: string;
  inputs: string[];
  parameters: string[];
  visibility: 'private' | 'tenant' | 'global';
}

/**
 * `nestify install <blueprint>`: upload the blueprint, create a deployment, run `install` and
 * follow it — cfy's shortcut.
 */
export function installCommand(): Command {
  return withConnectionOptions(
    new Command('install')
      .description(
        'upload a blueprint, create a deployment and run install, following it to the end',
      )
      .argument('<blueprint>', 'a folder, a blueprint YAML file (its folder is sent) or an archive')
      .option('-b, --blueprint-id <id>', "the blueprint's id (default: the folder's name)")
      .option('-d, --deployment-id <id>', "the deployment's id (default: the blueprint's id)")
      .option('-n, --blueprint-filename <file>', 'the YAML file inside a folder or archive')
      .option(
        '-i, --inputs <inputs>',
        'deployment inputs: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
        collect,
        [],
      )
      .option('-p, --parameters <parameters>', 'parameters of the install workflow', collect, [])
      .option('-l, --visibility <visibility>', 'private, tenant or global', 'tenant'),
  ).action(async (path: string, options: InstallOptions) => {
    const { client, out } = contextOf(options);
    const inputs = parseInputs(options.inputs);
    const source = await blueprintSource(path, options.blueprintFilename);
    const blueprintId = options.blueprintId ?? source.defaultId;
    const deploymentId = options.deploymentId ?? blueprintId;
    out.info(`Uploading blueprint ${path} as ${blueprintId}...`);
    await client.blueprints.upload(blueprintId, {
      archive: source.archive,
      archiveName: source.archiveName,
      applicationFileName: source.applicationFileName,
      visibility: options.visibility,
    });
    out.info(`Creating deployment ${deploymentId}...`);
    await client.deployments.create(deploymentId, {
      blueprint_id: blueprintId,
      inputs,
      visibility: options.visibility,
    });
    const execution = await client.executions.start({
      deployment_id: deploymentId,
      workflow_id: 'install',
      parameters: parseInputs(options.parameters),
    });
    out.info(
      `Executing workflow install on deployment ${deploymentId} [execution ${execution.id}]`,
    );
    await followExecution(client, execution, out.json);
  });
}
