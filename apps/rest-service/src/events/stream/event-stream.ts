import { isEndExecutionStatus } from '@nestify/model';
import { EventType } from '../events-query';
import { eventItem } from '../event-item';
import { EventRow } from '../events.repository';
import { EventCursor, formatCursor } from './event-cursor';

/** Where a stream reads one execution's rows and state (scoped to the caller already). */
export interface EventStreamSource {
  /** Up to `limit` rows of one table stored after `afterStorageId`, in storage-id order. */
  readAfter(type: EventType, afterStorageId: number, limit: number): Promise<EventRow[]>;
  /** The execution's status, or undefined once it is gone. */
  executionStatus(): Promise<string | undefined>;
  hasWorkflowEndEvent(): Promise<boolean>;
}

/** Where a stream writes: `write` resolves once the chunk is handed to the socket. */
export interface EventStreamSink {
  write(chunk: string): Promise<void>;
  end(): void;
}

export interface EventStreamTimings {
  /** Safety-net poll: a NOTIFY can be lost across a reconnect of the listener. */
  pollMs: number;
  heartbeatMs: number;
  /** How long after the end state to wait for a closing workflow event not yet stored. */
  endGraceMs: number;
  batchSize: number;
}

export const DEFAULT_STREAM_TIMINGS: EventStreamTimings = {
  pollMs: 3000,
  heartbeatMs: 15000,
  endGraceMs: 5000,
  batchSize: 500,
};

/**
 * One SSE connection following one execution. Each wake-up (NOTIFY, poll) sends what was
 * stored after the cursor, then ends the stream with an `end` event once the execution is in an
 * end state and its closing workflow event has been sent (or a grace period has passed: the
 * bridge may store the last events after the status changed).
 */
export class EventStream {
  private cursor: EventCursor;
  private closed = false;
  private pumping = false;
  private wakeAgain = false;
  private endSeenAt?: number;
  private timers: NodeJS.Timeout[] = [];
  private onClose?: () => void;

  constructor(
    readonly executionId: string,
    private readonly source: EventStreamSource,
    start: EventCursor,
    private readonly timings: EventStreamTimings = DEFAULT_STREAM_TIMINGS,
  ) {
    this.cursor = { ...start };
  }

  private sink?: EventStreamSink;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts writing to `sink`; `onClose` runs once when the stream ends for any reason. */
  start(sink: EventStreamSink, onClose: () => void): void {
    this.sink = sink;
    this.onClose = onClose;
    if (this.closed) return onClose(); // the client left before the stream started
    this.timers.push(
      setInterval(() => this.wake(), this.timings.pollMs),
      setInterval(() => void this.send(': heartbeat\n\n'), this.timings.heartbeatMs),
    );
    void this.send('retry: 2000\n: connected\n\n');
    this.wake();
  }

  /** The execution may have new rows: read them (once more if a read is under way). */
  wake(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.wakeAgain && !this.closed) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.sink?.end();
    this.onClose?.();
  }

  private async pump(): Promise<void> {
    try {
      // The status and the closing event are read before draining: what was stored before they
      // were seen is then surely sent below (read after, a closing event stored meanwhile would
      // end the stream without being sent).
      const status = await this.source.executionStatus();
      const ended = status !== undefined && isEndExecutionStatus(status);
      const endEventStored = ended && (await this.source.hasWorkflowEndEvent());
      await this.drain();
      if (status === undefined) return this.finish({ status: null });
      if (!ended || this.closed) return;
      this.endSeenAt ??= Date.now();
      const graceOver = Date.now() - this.endSeenAt >= this.timings.endGraceMs;
      if (graceOver || endEventStored) await this.finish({ status });
    } catch {
      this.close(); // the client reconnects with its Last-Event-ID
    }
  }

  private async finish(data: { status: string | null }): Promise<void> {
    const body = JSON.stringify({ execution_id: this.executionId, ...data });
    await this.send(`id: ${formatCursor(this.cursor)}\nevent: end\ndata: ${body}\n\n`);
    this.close();
  }

  /** Sends everything stored after the cursor, merging both tables in timestamp order. */
  private async drain(): Promise<void> {
    const { batchSize } = this.timings;
    for (;;) {
      const events = await this.source.readAfter('cloudify_event', this.cursor.events, batchSize);
      const logs = await this.source.readAfter('cloudify_log', this.cursor.logs, batchSize);
      const eventsFull = events.length === batchSize;
      const logsFull = logs.length === batchSize;
      for (const row of mergeByTimestamp(events, logs, eventsFull, logsFull)) {
        if (this.closed) return;
        if (row.type === 'cloudify_event') this.cursor.events = row._storage_id;
        else this.cursor.logs = row._storage_id;
        const data = JSON.stringify(eventItem(row));
        await this.send(`id: ${formatCursor(this.cursor)}\ndata: ${data}\n\n`);
      }
      if (!eventsFull && !logsFull) return;
    }
  }

  private async send(chunk: string): Promise<void> {
    if (this.closed || !this.sink) return;
    await this.sink.write(chunk);
  }
}

/**
 * Both tables' rows, each in storage-id order, interleaved by timestamp (then storage id) as
 * GET /events sorts. A full batch may continue beyond what was read, so the merge stops when a
 * full side runs out: its next row could be earlier than the other side's rest.
 */
export function mergeByTimestamp(
  events: EventRow[],
  logs: EventRow[],
  eventsFull: boolean,
  logsFull: boolean,
): EventRow[] {
  const merged: EventRow[] = [];
  let e = 0;
  let l = 0;
  for (;;) {
    const event = events[e];
    const log = logs[l];
    if (event === undefined && (eventsFull || log === undefined)) return merged;
    if (log === undefined && logsFull) return merged;
    if (log === undefined || (event !== undefined && !isAfter(event, log))) {
      merged.push(event);
      e += 1;
    } else {
      merged.push(log);
      l += 1;
    }
  }
}

function isAfter(a: EventRow, b: EventRow): boolean {
  const ta = new Date(a.timestamp).getTime();
  const tb = new Date(b.timestamp).getTime();
  if (ta !== tb) return ta > tb;
  return a._storage_id > b._storage_id;
}
