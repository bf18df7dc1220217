import { Command } from 'commander';
import {
  END_STATUSES,
  ManagerError,
  ManagerUnreachableError,
  NestifyClient,
} from '@nestify/client';
import { ExecutionFollower } from '../follow/execution-follower';
import { UsageError } from '../inputs';
import {
  clientFor,
  ConnectionOptions,
  contextOf,
  resolveProfile,
  withConnectionOptions,
} from '../manager/connection';
import { colorsFor } from '../output/colors';
import { formatEventLine } from '../output/event-line';
import { ProfileStore } from '../profiles/profile-store';

interface TailOptions {
  url?: string;
  user?: string;
  password?: string;
  token?: string;
  tenant?: string;
  json?: boolean;
}

/** Exit codes of `events tail`: how the execution ended, or why following it stopped. */
const EXIT = { succeeded: 0, failed: 1, refused: 3 } as const;

const DEFAULT_URL = 'http://127.0.0.1:8100';
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10000;

/** The client of `events tail`: its own flags, else the active profile, else the local manager. */
function tailClient(options: TailOptions): NestifyClient {
  if (options.user && options.password === undefined)
    throw new UsageError('--user needs --password');
  const hasProfile = new ProfileStore().active() !== undefined;
  const profile = resolveProfile({
    manager: options.url ?? (hasProfile ? undefined : DEFAULT_URL),
    user: options.user,
    password: options.password,
    token: options.token,
    tenant: options.tenant,
  });
  if (!profile.token && !profile.username)
    throw new UsageError('give --user and --password, or --token');
  return clientFor(profile);
}

/** Prints the execution's events as they are stored; reconnects until the execution ends. */
async function tail(executionId: string, options: TailOptions): Promise<number> {
  const client = tailClient(options);
  const colors = colorsFor(process.stdout);
  let lastEventId: string | undefined;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    try {
      const status = await client.events.stream(executionId, {
        lastEventId,
        onEvent: (item, id, raw) => {
          lastEventId = id ?? lastEventId;
          retryMs = FIRST_RETRY_MS;
          process.stdout.write(`${options.json ? raw : formatEventLine(item, colors)}\n`);
        },
      });
      if (status !== undefined) {
        process.stderr.write(`nestify: execution ${executionId} ended: ${status ?? 'deleted'}\n`);
        return status === 'terminated' ? EXIT.succeeded : EXIT.failed;
      }
    } catch (error) {
      if (error instanceof ManagerError && error.status < 500) {
        process.stderr.write(
          `nestify: cannot follow execution ${executionId}: ${error.status}: ${error.message}\n`,
        );
        return EXIT.refused;
      }
      const reason =
        error instanceof ManagerUnreachableError
          ? error.reason
          : error instanceof Error
            ? error.message
            : String(error);
      process.stderr.write(`nestify: stream lost (${reason}); reconnecting\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
}

interface ListEventsOptions extends ConnectionOptions {
  executionId: string;
  tail?: boolean;
  logs: boolean;
}

/** `events list -e <id> [--tail]`: stored events of an execution, or follow it like `executions start`. */
async function listEvents(options: ListEventsOptions): Promise<void> {
  const { client, out } = contextOf(options);
  const execution = await client.executions.get(options.executionId);
  if (options.tail && !END_STATUSES.includes(execution.status)) {
    await new ExecutionFollower(client, {
      quiet: out.json,
      interactive: Boolean(process.stdin.isTTY),
    }).follow(execution);
    return;
  }
  const items = [];
  for (let offset = 0; ;) {
    const page = await client.events.list({
      execution_id: options.executionId,
      type: options.logs ? ['cloudify_event', 'cloudify_log'] : 'cloudify_event',
      _sort: 'timestamp',
      _offset: offset,
      _size: 1000,
    });
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.metadata.pagination.total) break;
  }
  if (out.json) return out.writeJson(items);
  const colors = colorsFor(process.stdout);
  for (const item of items) process.stdout.write(`${formatEventLine(item, colors)}\n`);
  out.info(`Total events: ${items.length}`);
}

/** `nestify events list|tail`: an execution's events and logs. */
export function eventsCommand(): Command {
  const events = new Command('events').description("an execution's events and logs");
  withConnectionOptions(
    events
      .command('list')
      .description("list an execution's events and logs; --tail follows a running one")
      .requiredOption('-e, --execution-id <id>', 'the execution')
      .option('--tail', 'follow the execution until it ends (exit code as `executions start`)')
      .option('--no-logs', 'only events, no logs'),
  ).action(listEvents);
  events
    .command('tail')
    .description(
      'print the events and logs of an execution as they happen, until it ends; exit code 0 ' +
        'when it terminated, 1 when it failed or was cancelled, 3 when the manager refused',
    )
    .argument('<execution-id>')
    .option('--url <url>', `the manager (default: the active profile's, else ${DEFAULT_URL})`)
    .option('--user <name>', 'username (with --password)')
    .option('--password <password>', 'password of --user')
    .option('--token <token>', 'an API token instead of a username and password')
    .option('--tenant <name>', 'the tenant of the execution (default: default_tenant)')
    .option('--json', 'print each event as its JSON item')
    .action(async (executionId: string, options: TailOptions) => {
      process.exitCode = await tail(executionId, options);
    });
  return events;
}
