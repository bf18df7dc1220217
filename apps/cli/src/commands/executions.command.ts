import { Command } from 'commander';
import { followExecution } from '../follow/execution-follower';
import { parseInputs, UsageError } from '../inputs';
import { ConnectionOptions, contextOf, withConnectionOptions } from '../manager/connection';
import { ListOptions, listQuery, withListOptions } from '../manager/list-options';

const collect = (value: string, previous: string[]) => [...previous, value];

const COLUMNS = [
  'id',
  'workflow_id',
  'status',
  'deployment_id',
  'created_at',
  'started_at',
  'ended_at',
  'visibility',
  'tenant_name',
  'created_by',
];

interface StartOptions extends ConnectionOptions {
  deploymentId: string;
  parameters: string[];
  allowCustomParameters?: boolean;
  force?: boolean;
  dryRun?: boolean;
  queue?: boolean;
  detach?: boolean;
}

function addStart(executions: Command): void {
  withConnectionOptions(
    executions
      .command('start <workflow-id>')
      .description(
        'start a workflow and follow it to its end: progress and events; exit 0 when it ' +
          'terminated, 1 when it failed or was cancelled, 130 after Ctrl-C',
      )
      .requiredOption('-d, --deployment-id <id>', 'the deployment')
      .option(
        '-p, --parameters <parameters>',
        'parameters: a YAML file, key=value[;key=value] or inline YAML (repeatable)',
        collect,
        [],
      )
      .option('--allow-custom-parameters', 'allow parameters the workflow does not declare')
      .option('--force', 'run even if the workflow is not available now')
      .option('--dry-run', 'go through the workflow without running operations')
      .option('--queue', 'queue it if the deployment is busy')
      .option('--detach', 'do not follow: print the execution and return'),
  ).action(async (workflowId: string, options: StartOptions) => {
    const { client, out } = contextOf(options);
    const execution = await client.executions.start({
      deployment_id: options.deploymentId,
      workflow_id: workflowId,
      parameters: parseInputs(options.parameters),
      allow_custom_parameters: Boolean(options.allowCustomParameters),
      force: Boolean(options.force),
      dry_run: Boolean(options.dryRun),
      queue: Boolean(options.queue),
    });
    if (options.detach) {
      out.info(`Started ${workflowId} on ${options.deploymentId}: execution ${execution.id}`);
      if (out.json) out.writeJson(execution);
      return;
    }
    out.info(
      `Executing workflow ${workflowId} on deployment ${options.deploymentId} ` +
        `[execution ${execution.id}, status ${execution.status}]`,
    );
    await followExecution(client, execution, out.json);
  });
}

interface CancelOptions extends ConnectionOptions {
  force?: boolean;
  kill?: boolean;
}

function addActions(executions: Command): void {
  withConnectionOptions(
    executions
      .command('cancel <execution-id>')
      .description('cancel an execution')
      .option('-f, --force', 'force-cancel: stop waiting for running operations')
      .option('-k, --kill', 'kill: also stop running operations and scripts'),
  ).action(async (id: string, options: CancelOptions) => {
    if (options.force && options.kill) throw new UsageError('give --force or --kill, not both');
    const { client, out } = contextOf(options);
    const action = options.kill ? 'kill' : options.force ? 'force-cancel' : 'cancel';
    const execution = await client.executions.act(id, action);
    out.info(`A ${action} request for execution ${id} has been sent (status ${execution.status})`);
    if (out.json) out.writeJson(execution);
  });
  withConnectionOptions(
    executions
      .command('resume <execution-id>')
      .description('resume a failed or cancelled execution')
      .option('-f, --force', 'also re-run operations that were running'),
  ).action(async (id: string, options: ConnectionOptions & { force?: boolean }) => {
    const { client, out } = contextOf(options);
    const execution = await client.executions.act(id, options.force ? 'force-resume' : 'resume');
    out.info(`Resuming execution ${id} (status ${execution.status})`);
    if (out.json) out.writeJson(execution);
  });
}

/** `nestify executions start|list|get|cancel|resume`. */
export function executionsCommand(): Command {
  const executions = new Command('executions')
    .alias('execution')
    .description('workflow executions: start and follow them, list, cancel, resume');
  addStart(executions);
  withListOptions(
    withConnectionOptions(
      executions
        .command('list')
        .description('list executions')
        .option('-d, --deployment-id <id>', 'only executions of this deployment')
        .option('--include-system-workflows', 'also list system workflows'),
    ),
  ).action(
    async (
      options: ConnectionOptions &
        ListOptions & { deploymentId?: string; includeSystemWorkflows?: boolean },
    ) => {
      const { client, out } = contextOf(options);
      const page = await client.executions.list(
        listQuery(options, {
          deployment_id: options.deploymentId,
          _include_system_workflows: options.includeSystemWorkflows ? true : undefined,
        }),
      );
      out.list('Executions', page.items, COLUMNS);
    },
  );
  withConnectionOptions(
    executions.command('get <execution-id>').description('show an execution'),
  ).action(async (id: string, options: ConnectionOptions) => {
    const { client, out } = contextOf(options);
    const execution = await client.executions.get(id);
    out.object(execution, [
      ...COLUMNS,
      'total_operations',
      'finished_operations',
      'parameters',
      'error',
    ]);
  });
  addActions(executions);
  return executions;
}
