import { EXCHANGES, eventRoutingKey } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import type { EventSink, WorkflowEventMessage } from '@nestify/workflows';
import { WriteBatcher } from '../persistence/write-batcher';

export interface EventSinkOptions {
  flushDelayMs?: number;
  /** Items per message (the bridge takes a list per message). */
  maxItemsPerMessage?: number;
  onError?: (error: unknown) => void;
  /**
   * Awaited before each batch goes out, with the `mark()` taken when its last event was handed
   * over: the task states recorded before these events are stored first, so a published
   * task_succeeded always means a stored success — a worker that takes over after a crash never
   * re-runs an operation the event stream called succeeded.
   */
  beforePublish?: (mark: number) => Promise<void>;
  mark?: () => number;
  /** Batches published and not yet confirmed by the broker, at most (default 16). */
  maxUnconfirmed?: number;
}

/** An event and the state-stream mark it waits for. */
interface MarkedEvent {
  item: WorkflowEventMessage;
  mark: number;
}

/**
 * Publishes an execution's events and logs in batches: one message carries a list of items,
 * events to `cloudify-events-topic` with routing key `events.<tenant>.<deployment>.<execution>`,
 * logs to `cloudify-logs`. Order is kept: batches go out one at a time, in the order given, and
 * within a batch events and logs stay in order within their own stream. A batch does not wait
 * for the broker's confirm of the one before (the channel keeps their order; a confirm takes a
 * broker disk write): up to `maxUnconfirmed` are in flight, and flush() waits for all of them.
 */
export class BusEventSink implements EventSink {
  private readonly batcher: WriteBatcher<MarkedEvent>;
  private readonly routingKey: string;
  private readonly unconfirmed = new Set<Promise<void>>();

  constructor(
    private readonly bus: MessageBus,
    owner: { tenantName: string; deploymentId: string | null; executionId: string },
    private readonly options: EventSinkOptions = {},
  ) {
    this.routingKey = eventRoutingKey(owner.tenantName, owner.deploymentId, owner.executionId);
    this.batcher = new WriteBatcher(
      async (marked) => {
        await options.beforePublish?.(marked[marked.length - 1].mark);
        while (this.unconfirmed.size >= (options.maxUnconfirmed ?? 16)) {
          await Promise.race(this.unconfirmed);
        }
        this.track(marked, options.onError);
      },
      {
        delayMs: options.flushDelayMs ?? 10,
        maxItems: options.maxItemsPerMessage ?? 500,
        onError: options.onError,
      },
    );
  }

  publish(items: WorkflowEventMessage[]): void {
    if (!items.length) return;
    const mark = this.options.mark?.() ?? 0;
    this.batcher.add(...items.map((item) => ({ item, mark })));
  }

  /**
   * Resolves once everything published so far is confirmed by the broker; rejects when batches
   * are still refused after a few tries (they stay queued).
   */
  async flush(): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      await this.batcher.flush();
      while (this.unconfirmed.size) await Promise.all(this.unconfirmed);
      if (this.batcher.pending === 0) return;
    }
    throw new Error(`${this.batcher.pending} events could not be published`);
  }

  close(): void {
    this.batcher.close();
  }

  /**
   * Publishes a batch without waiting for its confirm. A refused publish (rare: the bus refuses
   * beyond its bound of unconfirmed messages; it re-publishes across reconnects itself) queues
   * the batch again; its events keep their timestamps, by which the events are ordered.
   */
  private track(items: MarkedEvent[], onError?: (error: unknown) => void): void {
    const confirmed: Promise<void> = this.publishBatch(items.map((entry) => entry.item)).then(
      () => {
        this.unconfirmed.delete(confirmed);
      },
      (error: unknown) => {
        this.unconfirmed.delete(confirmed);
        onError?.(error);
        this.batcher.add(...items);
      },
    );
    this.unconfirmed.add(confirmed);
  }

  private async publishBatch(items: WorkflowEventMessage[]): Promise<void> {
    const events = items.filter((item) => item.type === 'cloudify_event');
    const logs = items.filter((item) => item.type !== 'cloudify_event');
    await Promise.all([
      events.length ? this.bus.publish(EXCHANGES.events, this.routingKey, events) : undefined,
      logs.length ? this.bus.publish(EXCHANGES.logs, '', logs) : undefined,
    ]);
  }
}
