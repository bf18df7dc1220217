import { createInterface } from 'node:readline/promises';
import { END_STATUSES, EventItem, Execution, ManagerError, NestifyClient } from '@nestify/client';
import { colorsFor, paint } from '../output/colors';
import { formatEventLine } from '../output/event-line';
import { CliExit, EXIT } from '../exit-codes';
import { operationsText, ProgressView } from './progress';

const POLL_MS = 500;
const EVENTS_PAGE = 500;
/** After the execution ended, how long the stream may take to deliver its last events. */
const STREAM_DRAIN_MS = 5000;
/** Consecutive stream failures after which events are polled instead. */
const STREAM_ATTEMPTS = 3;

export interface FollowOptions {
  /** Print nothing while following, and the ended execution as JSON (`--json`). */
  quiet?: boolean;
  /** What Ctrl-C does: ask first (stdin is a terminal) or cancel at once. */
  interactive?: boolean;
  tty?: boolean;
  /** Where output goes (stdout unless told). */
  write?: (text: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A pause that does not keep the process alive on its own (the stream's retry back-off). */
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Waits for `promise` at most `ms`, leaving no timer behind (it would delay the exit). */
async function atMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** An execution's error in one line: its summary without the traceback (a few causes at most). */
export function errorLine(error: string): string {
  const lines = error
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines[0]?.startsWith('Traceback')) return lines[lines.length - 1];
  const end = lines.findIndex((line) => line.startsWith('Traceback'));
  const summary = end < 0 ? lines : lines.slice(0, end);
  const shown = summary.slice(0, 4).join(' ').replace(/: :/g, ':');
  return summary.length > 4 ? `${shown} …` : shown;
}

function eventKey(event: EventItem): string {
  return [
    event.type,
    event.timestamp,
    event.event_type,
    event.node_instance_id,
    event.message,
  ].join('|');
}

/**
 * Follows an execution to its end: its events from the SSE stream (polling GET /events when the
 * stream is unavailable), its finished/total operations from GET /executions/{id}, and Ctrl-C.
 * Answers the ended execution; throws CliExit when it failed or was cancelled.
 */
export class ExecutionFollower {
  private readonly seen = new Set<string>();
  private polledOffset = 0;
  private streamState: 'streaming' | 'ended' | 'broken' = 'streaming';
  private readonly abort = new AbortController();
  private readonly view: ProgressView;
  private readonly colors: boolean;
  private readonly write: (text: string) => void;
  private interrupted = false;
  private prompting = false;
  private readonly held: string[] = [];

  constructor(
    private readonly client: NestifyClient,
    private readonly options: FollowOptions = {},
  ) {
    this.colors = colorsFor(process.stdout);
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.view = new ProgressView(
      options.tty ?? Boolean(process.stdout.isTTY),
      this.colors,
      this.write,
    );
  }

  async follow(started: Execution): Promise<Execution> {
    const onSigint = () => void this.onInterrupt(started.id);
    process.on('SIGINT', onSigint);
    try {
      const stream = this.streamEvents(started.id);
      let execution = started;
      for (;;) {
        execution = await this.client.executions.get(started.id);
        if (!this.options.quiet && !this.prompting) this.view.update(execution);
        if (END_STATUSES.includes(execution.status)) break;
        if (this.streamState === 'broken') await this.pollEvents(started.id);
        await sleep(POLL_MS);
      }
      await atMost(stream, STREAM_DRAIN_MS);
      this.abort.abort();
      if (this.streamState !== 'ended') await this.pollEvents(started.id);
      return this.finish(execution);
    } finally {
      process.off('SIGINT', onSigint);
      this.abort.abort();
    }
  }

  private finish(execution: Execution): Execution {
    this.view.clearBar();
    if (this.options.quiet) this.write(`${JSON.stringify(execution, null, 2)}\n`);
    const summary = `Execution ${execution.id} (${execution.workflow_id}) ${execution.status}: ${operationsText(execution)}`;
    if (this.interrupted) throw new CliExit(`${summary} after Ctrl-C`, EXIT.interrupted);
    if (execution.status === 'terminated') {
      if (!this.options.quiet) this.write(`${paint(this.colors, 'green', summary)}\n`);
      return execution;
    }
    const error = execution.error ? `: ${errorLine(execution.error)}` : '';
    throw new CliExit(
      `execution ${execution.id} (${execution.workflow_id}) ${execution.status}${error}`,
      EXIT.failed,
    );
  }

  private print(event: EventItem): void {
    const key = eventKey(event);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.options.quiet) return;
    const line = formatEventLine(event, this.colors);
    // While the Ctrl-C question waits for an answer, events wait too.
    if (this.prompting) this.held.push(line);
    else this.view.line(line);
  }

  /** The SSE stream with a few reconnects (resuming after the last id), then polling. */
  private async streamEvents(executionId: string): Promise<void> {
    let lastEventId: string | undefined;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const status = await this.client.events.stream(executionId, {
          lastEventId,
          signal: this.abort.signal,
          onEvent: (event, id) => {
            lastEventId = id ?? lastEventId;
            failures = 0;
            this.print(event);
          },
        });
        if (status !== undefined) {
          this.streamState = 'ended';
          return;
        }
      } catch (error) {
        if (error instanceof ManagerError && error.status < 500) break;
      }
      if (this.abort.signal.aborted || ++failures >= STREAM_ATTEMPTS) break;
      await idle(POLL_MS * failures);
    }
    if (this.streamState !== 'ended') this.streamState = 'broken';
  }

  /** Events after the ones already fetched, a page at a time (the fallback to the stream). */
  private async pollEvents(executionId: string): Promise<void> {
    for (;;) {
      const page = await this.client.events.list({
        execution_id: executionId,
        type: ['cloudify_event', 'cloudify_log'],
        _sort: 'timestamp',
        _offset: this.polledOffset,
        _size: EVENTS_PAGE,
      });
      this.polledOffset += page.items.length;
      for (const event of page.items) this.print(event);
      if (page.items.length < EVENTS_PAGE) return;
    }
  }

  /** Ctrl-C: ask on a terminal; otherwise cancel the execution and exit 130 at once. */
  private async onInterrupt(executionId: string): Promise<void> {
    if (this.prompting) process.exit(EXIT.interrupted);
    if (!this.options.interactive) {
      process.stderr.write(`nestify: interrupted; cancelling execution ${executionId}\n`);
      await this.client.executions.act(executionId, 'cancel').catch(() => undefined);
      process.exit(EXIT.interrupted);
    }
    this.prompting = true;
    this.view.clearBar();
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    // A second Ctrl-C at the question: leave without cancelling.
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      process.exit(EXIT.interrupted);
    });
    const answer = await rl.question(`cancel execution ${executionId}? [y/N] `);
    rl.close();
    this.prompting = false;
    for (const line of this.held.splice(0)) this.view.line(line);
    if (/^y(es)?$/i.test(answer.trim())) {
      this.interrupted = true;
      await this.client.executions.act(executionId, 'cancel');
      process.stderr.write(`nestify: cancelling execution ${executionId}\n`);
    }
  }
}

/** Follows an execution; with `--json` waits quietly and prints the ended execution as JSON. */
export async function followExecution(
  client: NestifyClient,
  execution: Execution,
  json: boolean,
): Promise<Execution> {
  return new ExecutionFollower(client, {
    quiet: json,
    interactive: Boolean(process.stdin.isTTY),
  }).follow(execution);
}
