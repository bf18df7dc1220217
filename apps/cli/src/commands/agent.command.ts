import { Command, InvalidArgumentError } from 'commander';
import { defaultPluginRegistry, OperationWorker } from '@nestify/agent';
import { LoggerLike } from '@nestify/common';
import { loadConfig } from '@nestify/config';
import { createMessageBus, QUEUES } from '@nestify/messaging';

interface StartOptions {
  queue: string;
  name?: string;
  concurrency: number;
  restUrl?: string;
}

const positiveInt = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return parsed;
};

/** Log lines on stderr: the agent is a foreground daemon, supervised by whoever started it. */
const STDERR_LOGGER: LoggerLike = {
  log: (message) => process.stderr.write(`nestify agent: ${message}\n`),
  warn: (message) => process.stderr.write(`nestify agent: warning: ${message}\n`),
  error: (message) => process.stderr.write(`nestify agent: error: ${message}\n`),
};

async function startAgent(options: StartOptions): Promise<void> {
  // A host agent's name is its exchange; its operations queue is `<name>_operation`.
  if (options.name) options.queue = `${options.name}_operation`;
  const config = loadConfig();
  const bus = await createMessageBus(config.messaging, {
    logger: STDERR_LOGGER,
    connectionName: `nestify-agent ${options.queue}`,
  });
  const worker = new OperationWorker({
    bus,
    queue: options.queue,
    concurrency: options.concurrency,
    restUrl: options.restUrl,
    plugins: defaultPluginRegistry(config.dataDir),
    logger: STDERR_LOGGER,
  });
  await worker.start();
  STDERR_LOGGER.log(
    `consuming ${options.queue} (concurrency ${options.concurrency}, ${bus.kind} bus)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.stop();
  await bus.close();
}

/**
 * `nestify agent start`: an operation worker on one queue — the central deployment agent's
 * (`cloudify.management_operation`, the default) or a host agent's `<agent name>_operation`.
 * AMQP_URL and NESTIFY_DATA_DIR (plugins under `<dir>/plugins`) come from the environment.
 */
export function agentCommand(): Command {
  const agent = new Command('agent').description('run operation workers (agents)');
  agent
    .command('start')
    .description('consume operation tasks from a queue and run them')
    .option('-q, --queue <name>', 'queue to consume', QUEUES.operations)
    .option(
      '-n, --name <agent>',
      "run as this host agent (queue <agent>_operation); for install_method provided it is the host instance's id unless agent_config.name is set",
    )
    .option('-c, --concurrency <n>', 'operations run at once', positiveInt, 20)
    .option(
      '--rest-url <url>',
      "the REST service's base URL (default: each task's rest_host and rest_port)",
    )
    .action((options: StartOptions) => startAgent(options));
  return agent;
}
