#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { InputError, isDslError } from '@nestify/dsl';
import { agentCommand } from './commands/agent.command';
import { agentsCommand } from './commands/agents.command';
import { blueprintCommand } from './commands/blueprint.command';
import { completionCommand } from './commands/completion.command';
import { deploymentsCommand } from './commands/deployments.command';
import { eventsCommand } from './commands/events.command';
import { executionsCommand } from './commands/executions.command';
import { installCommand } from './commands/install.command';
import { localCommand } from './commands/local.command';
import { metricsCommand } from './commands/metrics.command';
import { nodeInstancesCommand } from './commands/node-instances.command';
import { nodesCommand } from './commands/nodes.command';
import { pluginsCommand } from './commands/plugins.command';
import { profilesCommand } from './commands/profiles.command';
import { secretsCommand } from './commands/secrets.command';
import { sitesCommand } from './commands/sites.command';
import { snapshotsCommand } from './commands/snapshots.command';
import { statusCommand } from './commands/status.command';
import { tenantsCommand } from './commands/tenants.command';
import { tokensCommand } from './commands/tokens.command';
import { uninstallCommand } from './commands/uninstall.command';
import { usersCommand } from './commands/users.command';
import { describeManagerError, EXIT } from './exit-codes';
import { UsageError } from './inputs';

/** The nestify command line; each command group lives in its own file under commands/. */
function program(): Command {
  const root: Command = new Command('nestify')
    .description('nestify: an orchestration manager speaking Cloudify')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addCommand(profilesCommand())
    .addCommand(blueprintCommand())
    .addCommand(deploymentsCommand())
    .addCommand(executionsCommand())
    .addCommand(eventsCommand())
    .addCommand(nodesCommand())
    .addCommand(nodeInstancesCommand())
    .addCommand(secretsCommand())
    .addCommand(pluginsCommand())
    .addCommand(tenantsCommand())
    .addCommand(usersCommand())
    .addCommand(tokensCommand())
    .addCommand(sitesCommand())
    .addCommand(snapshotsCommand())
    .addCommand(agentsCommand())
    .addCommand(statusCommand())
    .addCommand(installCommand())
    .addCommand(uninstallCommand())
    .addCommand(agentCommand())
    .addCommand(localCommand())
    .addCommand(metricsCommand())
    .addCommand(completionCommand(() => root));
  root.addHelpText(
    'after',
    '\nCommands that talk to a manager take --json, -v/--verbose, --profile, --manager, ' +
      '--user, --password, --token and -t/--tenant.',
  );
  return root;
}

/** One readable line on stderr and a non-zero exit, never a stack trace for bad input. */
function fail(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  let message: string;
  let code: number = EXIT.failed;
  const fromManager = describeManagerError(error);
  if (fromManager) ({ message, code } = fromManager);
  else if (isDslError(error)) message = `invalid blueprint: ${error.describe()}`;
  else if (error instanceof InputError) message = `invalid inputs: ${error.message}`;
  else if (error instanceof UsageError) {
    message = error.message;
    code = EXIT.usage;
  } else message = `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`nestify: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(code);
}

// `nestify blueprint plan … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

program().parseAsync(process.argv).catch(fail);
