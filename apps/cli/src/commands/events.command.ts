import { Command } from 'commander';
import { UsageError } from '../inputs';

interface TailOptions {
  url: string;
  user?: string;
  password?: string;
  token?: string;
  tenant: string;
  json?: boolean;
}

/** Exit codes of `events tail`: how the execution ended, or why following it stopped. */
const EXIT = { succeeded: 0, failed: 1, refused: 3 } as const;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10000;

/** One Server-Sent Events message. */
interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Reads SSE messages out of text chunks as they arrive (a message may span chunks). */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const messages: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const message = parseBlock(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      if (message) messages.push(message);
    }
    return messages;
  }
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = { event: 'message', data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a comment: heartbeats
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  message.data = data.join('\n');
  return message;
}

/** A line like `cfy events list --tail` prints: time, level, deployment, [node.operation], text. */
export function formatEventLine(item: Record<string, unknown>): string {
  const text = (key: string) => (typeof item[key] === 'string' ? (item[key] as string) : '');
  const time = text('timestamp').replace('T', ' ').replace(/Z$/, '');
  const level = item.type === 'cloudify_log' ? text('level').toUpperCase() || 'INFO' : 'CFY';
  const operation = text('operation').split('.').pop() ?? '';
  const context = [text('node_instance_id'), operation].filter(Boolean).join('.');
  const where = text('deployment_id') ? ` <${text('deployment_id')}>` : '';
  return `${time}  ${level}${where}${context ? ` [${context}]` : ''} ${text('message')}`;
}

/** Why the stream could not be followed: the server refused (no point in retrying). */
class RefusedError extends Error {}

function authHeaders(options: TailOptions): Record<string, string> {
  const headers: Record<string, string> = { Tenant: options.tenant, Accept: 'text/event-stream' };
  if (options.token) headers['Authentication-Token'] = options.token;
  else if (options.user) {
    if (options.password === undefined) throw new UsageError('--user needs --password');
    const pair = Buffer.from(`${options.user}:${options.password}`).toString('base64');
    headers.Authorization = `Basic ${pair}`;
  } else throw new UsageError('give --user and --password, or --token');
  return headers;
}

/**
 * Follows one connection until the `end` event (answers the final status) or the connection
 * drops (answers undefined); `onMessage` sees every data message, whose id is the resume point.
 */
async function followOnce(
  url: string,
  headers: Record<string, string>,
  onMessage: (message: SseMessage) => void,
): Promise<string | null | undefined> {
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const body = await response.text();
    let reason = body;
    try {
      reason = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not Cloudify's error body: show it as is
    }
    if (response.status < 500) throw new RefusedError(`${response.status}: ${reason}`);
    throw new Error(`${response.status}: ${reason}`);
  }
  if (!response.body) return undefined;
  const parser = new SseParser();
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
      if (message.event === 'end') {
        return (JSON.parse(message.data) as { status: string | null }).status;
      }
      onMessage(message);
    }
  }
  return undefined;
}

/** Prints the execution's events as they are stored; reconnects until the execution ends. */
async function tail(executionId: string, options: TailOptions): Promise<number> {
  const headers = authHeaders(options);
  const base = `${options.url.replace(/\/+$/, '')}/api/v3.1/events/stream`;
  const url = `${base}?execution_id=${encodeURIComponent(executionId)}`;
  let lastEventId: string | undefined;
  let retryMs = FIRST_RETRY_MS;
  for (;;) {
    try {
      const status = await followOnce(
        url,
        lastEventId ? { ...headers, 'Last-Event-ID': lastEventId } : headers,
        (message) => {
          lastEventId = message.id ?? lastEventId;
          retryMs = FIRST_RETRY_MS;
          const item = JSON.parse(message.data) as Record<string, unknown>;
          process.stdout.write(`${options.json ? message.data : formatEventLine(item)}\n`);
        },
      );
      if (status !== undefined) {
        process.stderr.write(`nestify: execution ${executionId} ended: ${status ?? 'deleted'}\n`);
        return status === 'terminated' ? EXIT.succeeded : EXIT.failed;
      }
    } catch (error) {
      if (error instanceof RefusedError) {
        process.stderr.write(`nestify: cannot follow execution ${executionId}: ${error.message}\n`);
        return EXIT.refused;
      }
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`nestify: stream lost (${reason}); reconnecting\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
}

/** `nestify events tail <execution-id>`: live events of an execution on a manager. */
export function eventsCommand(): Command {
  const events = new Command('events').description("an execution's events and logs");
  events
    .command('tail')
    .description(
      'print the events and logs of an execution as they happen, until it ends; exit code 0 ' +
        'when it terminated, 1 when it failed or was cancelled, 3 when the manager refused',
    )
    .argument('<execution-id>')
    .option('--url <url>', 'the manager', 'http://127.0.0.1:8100')
    .option('--user <name>', 'username (with --password)')
    .option('--password <password>', 'password of --user')
    .option('--token <token>', 'an API token instead of a username and password')
    .option('--tenant <name>', 'the tenant of the execution', 'default_tenant')
    .option('--json', 'print each event as its JSON item')
    .action(async (executionId: string, options: TailOptions) => {
      process.exitCode = await tail(executionId, options);
    });
  return events;
}
