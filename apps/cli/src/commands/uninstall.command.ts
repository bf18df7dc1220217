import { Command } from 'commander';
import { ManagerError } from '@nestify/client';
import { followExecution } from '../follow/execution-follower';
import { parseInputs } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { deleteDeployment } from '../manager/deployment-deletion';

const collect = (value: string, previous: string[]) => [...previous, value];

interface UninstallOptions extends ConnectionOptions {
  parameters: string[];
  force?: boolean;
  keepBlueprint?: boolean;
}

/**
 * `nestify uninstall <deployment>`: run `uninstall`, delete the deployment, then its blueprint
 * (kept when other deployments still use it) — cfy's shortcut.
 */
export function uninstallCommand(): Command {
  return withConnectionOptions(
    new Command('uninstall')
      .description('run uninstall on a deployment, then delete it and its blueprint')
      .argument('<deployment-id>')
      .option('-p, --parameters <parameters>', 'parameters of the uninstall workflow', collect, [])
      .option('-f, --force', 'run uninstall even if not available, delete despite live nodes')
      .option('--keep-blueprint', 'do not delete the blueprint'),
  ).action(async (deploymentId: string, options: UninstallOptions) => {
    const { client, out } = contextOf(options);
    const { blueprint_id: blueprintId } = await client.deployments.get(deploymentId);
    const execution = await client.executions.start({
      deployment_id: deploymentId,
      workflow_id: 'uninstall',
      parameters: parseInputs(options.parameters),
      force: Boolean(options.force),
    });
    out.info(
      `Executing workflow uninstall on deployment ${deploymentId} [execution ${execution.id}]`,
    );
    await followExecution(client, execution, out.json);
    out.info(`Deleting deployment ${deploymentId}...`);
    await deleteDeployment(client, deploymentId, { force: options.force });
    if (options.keepBlueprint) return;
    try {
      await client.blueprints.delete(blueprintId);
      out.info(`Deleted blueprint ${blueprintId}`);
    } catch (error) {
      // Another deployment of it, or a blueprint importing it: uninstalling this one still worked.
      if (!(error instanceof ManagerError) || error.status >= 500) throw error;
      out.info(`Kept blueprint ${blueprintId}: ${error.message}`);
    }
  });
}
