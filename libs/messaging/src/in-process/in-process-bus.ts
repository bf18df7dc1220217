import { LoggerLike, SILENT_LOGGER } from '@nestify/common';
import {
  BusHealth,
  ConsumeOptions,
  Consumer,
  MessageBus,
  MessageHandler,
  PublishOptions,
} from '../bus/message-bus';
import { Topology } from '../topology';
import { InProcessBroker } from './in-process-broker';

interface SharedBroker {
  broker: InProcessBroker;
  users: number;
}

/** One broker per process, shared by every app in it and dropped when the last one closes. */
let shared: SharedBroker | undefined;

/**
 * A connection to this process's in-process broker (the embedded default when AMQP_URL is unset).
 * Closing it cancels its consumers, whose unacknowledged messages are redelivered to others.
 */
export class InProcessMessageBus implements MessageBus {
  readonly kind = 'in-process' as const;
  private readonly consumers = new Set<{ queue: string; tag: number }>();
  private closed = false;

  private constructor(private readonly shared: SharedBroker) {}

  static open(maxBytes: number, logger: LoggerLike = SILENT_LOGGER): InProcessMessageBus {
    shared ??= { broker: new InProcessBroker(maxBytes, logger), users: 0 };
    shared.users++;
    return new InProcessMessageBus(shared);
  }

  private get broker(): InProcessBroker {
    if (this.closed) throw new Error('the message bus is closed');
    return this.shared.broker;
  }

  async declare(topology: Topology): Promise<void> {
    this.broker.declare(topology);
  }

  async publish(exchange: string, routingKey: string, body: unknown, options?: PublishOptions) {
    this.broker.publish(exchange, routingKey, body, options);
  }

  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions = {}) {
    const tag = this.broker.consume(queue, handler, this, options);
    const entry = { queue, tag };
    this.consumers.add(entry);
    const consumer: Consumer = {
      queue,
      cancel: async () => {
        if (!this.consumers.delete(entry)) return;
        this.shared.broker.cancel(queue, tag);
      },
    };
    return consumer;
  }

  /** Messages waiting in a queue; for tests and diagnostics. */
  depth(queue: string): number {
    return this.broker.depth(queue);
  }

  async ping(): Promise<BusHealth> {
    return this.closed
      ? { ok: false, kind: this.kind, error: 'closed' }
      : { ok: true, kind: this.kind };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const { queue, tag } of this.consumers) this.shared.broker.cancel(queue, tag);
    this.consumers.clear();
    this.closed = true;
    if (--this.shared.users === 0 && shared === this.shared) shared = undefined;
  }
}
