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
   * Awaited before each batch goes out: the task states recorded before these events are stored
   * first, so a published task_succeeded always means a stored success — a worker that takes
   * over after a crash never re-runs an operation the event stream called succeeded.
   */
  beforePublish?: () => Promise<void>;
}

/**
 * Publishes an execution's events and logs in batches: one message carries a list of items,
 * events to `cloudify-events-topic` with routing key `events.<tenant>.<deployment>.<execution>`,
 * logs to `cloudify-logs`. Order is kept: batches go out one at a time, in the order given, and
 * within a batch events and logs stay in order within their own stream.
 */
export class BusEventSink implements EventSink {
  private readonly batcher: WriteBatcher<WorkflowEventMessage>;
  private readonly routingKey: string;

  constructor(
    private readonly bus: MessageBus,
    owner: { tenantName: string; deploymentId: string | null; executionId: string },
    options: EventSinkOptions = {},
  ) {
    this.routingKey = eventRoutingKey(owner.tenantName, owner.deploymentId, owner.executionId);
    this.batcher = new WriteBatcher(
      async (items) => {
        await options.beforePublish?.();
        await this.publishBatch(items);
      },
      {
        delayMs: options.flushDelayMs ?? 10,
        maxItems: options.maxItemsPerMessage ?? 500,
        onError: options.onError,
      },
    );
  }

  publish(items: WorkflowEventMessage[]): void {
    if (items.length) this.batcher.add(...items);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  close(): void {
    this.batcher.close();
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
