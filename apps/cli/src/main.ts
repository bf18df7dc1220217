#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { InputError, isDslError } from '@nestify/dsl';
import { agentCommand } from './commands/agent.command';
import { blueprintCommand } from './commands/blueprint.command';
import { eventsCommand } from './commands/events.command';
import { localCommand } from './commands/local.command';
import { UsageError } from './inputs';

/** The nestify command line; each command group lives in its own file under commands/. */
function program(): Command {
  return new Command('nestify')
    .description('nestify: an orchestration manager speaking Cloudify')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .addCommand(blueprintCommand())
    .addCommand(agentCommand())
    .addCommand(eventsCommand())
    .addCommand(localCommand());
}

/** One readable line on stderr and a non-zero exit, never a stack trace for bad input. */
function fail(error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  let message: string;
  let code = 1;
  if (isDslError(error)) message = `invalid blueprint: ${error.describe()}`;
  else if (error instanceof InputError) message = `invalid inputs: ${error.message}`;
  else if (error instanceof UsageError) {
    message = error.message;
    code = 2;
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
