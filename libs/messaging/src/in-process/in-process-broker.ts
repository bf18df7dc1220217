import { LoggerLike } from '@nestify/common';
import { DecodeLimits, DeliverySettlement, handleDelivery } from '../bus/handle-delivery';
import { ConsumeOptions, MessageHandler, PublishOptions } from '../bus/message-bus';
import { encodeBody } from '../bus/message-codec';
import { DEFAULT_EXCHANGE, EXCHANGES, ExchangeSpec, QueueSpec, Topology } from '../topology';
import { Fifo } from './message-queue';
import { topicMatches } from './topic-match';

interface Envelope {
  exchange: string;
  routingKey: string;
  raw: Buffer;
  options: PublishOptions;
  redelivered: boolean;
}

interface ConsumerState {
  tag: number;
  owner: object;
  handler: MessageHandler;
  prefetch: number;
  limits: DecodeLimits;
  inFlight: Set<Envelope>;
}

interface QueueState {
  spec: QueueSpec;
  ready: Fifo<Envelope>;
  consumers: ConsumerState[];
  nextConsumer: number;
  scheduled: boolean;
}

interface ExchangeState {
  spec: ExchangeSpec;
  bindings: { queue: string; routingKey: string }[];
}

/**
 * A broker in this process's memory for the embedded defaults: exchanges (direct, topic, fanout),
 * queues, bindings, prefetch, acks, redelivery and dead-lettering behave as RabbitMQ's do for
 * what nestify uses. Messages live as long as the process; every app of the process shares it.
 */
export class InProcessBroker {
  private readonly exchanges = new Map<string, ExchangeState>();
  private readonly queues = new Map<string, QueueState>();
  private nextTag = 1;

  constructor(
    private readonly maxBytes: number,
    private readonly logger: LoggerLike,
  ) {}

  declare(topology: Topology): void {
    for (const spec of topology.exchanges) this.declareExchange(spec);
    for (const spec of topology.queues) this.declareQueue(spec);
  }

  publish(exchange: string, routingKey: string, body: unknown, options: PublishOptions = {}) {
    const raw = encodeBody(body);
    for (const queue of this.route(exchange, routingKey)) {
      queue.ready.push({ exchange, routingKey, raw, options, redelivered: false });
      this.schedule(queue);
    }
  }

  consume(queueName: string, handler: MessageHandler, owner: object, options: ConsumeOptions) {
    const queue = this.queues.get(queueName);
    if (!queue) throw new Error(`NOT_FOUND - no queue '${queueName}'`);
    const consumer: ConsumerState = {
      tag: this.nextTag++,
      owner,
      handler,
      prefetch: options.prefetch ?? 100,
      limits: { maxBytes: options.maxBytes ?? this.maxBytes, raw: options.raw },
      inFlight: new Set(),
    };
    queue.consumers.push(consumer);
    this.schedule(queue);
    return consumer.tag;
  }

  /** Stops a consumer; what it held unacknowledged goes back to the queue, as on a closed channel. */
  cancel(queueName: string, tag: number): void {
    const queue = this.queues.get(queueName);
    if (!queue) return;
    const consumer = queue.consumers.find((c) => c.tag === tag);
    if (!consumer) return;
    queue.consumers = queue.consumers.filter((c) => c !== consumer);
    for (const envelope of consumer.inFlight)
      queue.ready.unshift({ ...envelope, redelivered: true });
    consumer.inFlight.clear();
    if (queue.spec.autoDelete && queue.consumers.length === 0) this.deleteQueue(queueName);
    else this.schedule(queue);
  }

  /** Messages waiting in a queue (not counting unacknowledged ones). */
  depth(queueName: string): number {
    return this.queues.get(queueName)?.ready.length ?? 0;
  }

  private declareExchange(spec: ExchangeSpec): void {
    const existing = this.exchanges.get(spec.name);
    if (existing && existing.spec.type !== spec.type) {
      throw new Error(
        `PRECONDITION_FAILED - exchange '${spec.name}' is ${existing.spec.type}, not ${spec.type}`,
      );
    }
    if (!existing) this.exchanges.set(spec.name, { spec, bindings: [] });
  }

  private declareQueue(spec: QueueSpec): void {
    if (!this.queues.has(spec.name)) {
      this.queues.set(spec.name, {
        spec,
        ready: new Fifo(),
        consumers: [],
        nextConsumer: 0,
        scheduled: false,
      });
    }
    for (const binding of spec.bindings) {
      const exchange = this.exchanges.get(binding.exchange);
      if (!exchange) throw new Error(`NOT_FOUND - no exchange '${binding.exchange}'`);
      const bound = exchange.bindings.some(
        (b) => b.queue === spec.name && b.routingKey === binding.routingKey,
      );
      if (!bound) exchange.bindings.push({ queue: spec.name, routingKey: binding.routingKey });
    }
  }

  private deleteQueue(name: string): void {
    this.queues.delete(name);
    for (const exchange of this.exchanges.values()) {
      exchange.bindings = exchange.bindings.filter((b) => b.queue !== name);
    }
  }

  private route(exchangeName: string, routingKey: string): QueueState[] {
    if (exchangeName === DEFAULT_EXCHANGE) {
      const queue = this.queues.get(routingKey);
      return queue ? [queue] : [];
    }
    const exchange = this.exchanges.get(exchangeName);
    if (!exchange) throw new Error(`NOT_FOUND - no exchange '${exchangeName}'`);
    const names = new Set<string>();
    for (const binding of exchange.bindings) {
      if (this.bindingMatches(exchange.spec.type, binding.routingKey, routingKey)) {
        names.add(binding.queue);
      }
    }
    return [...names].flatMap((name) => this.queues.get(name) ?? []);
  }

  private bindingMatches(type: ExchangeSpec['type'], bindingKey: string, routingKey: string) {
    if (type === 'fanout') return true;
    if (type === 'direct') return bindingKey === routingKey;
    return topicMatches(bindingKey, routingKey);
  }

  private schedule(queue: QueueState): void {
    if (queue.scheduled) return;
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      this.pump(queue);
    });
  }

  /** Hands ready messages to consumers round-robin, each up to its prefetch. */
  private pump(queue: QueueState): void {
    while (queue.ready.length > 0) {
      const consumer = this.nextFreeConsumer(queue);
      if (!consumer) return;
      const envelope = queue.ready.shift() as Envelope;
      consumer.inFlight.add(envelope);
      void this.deliver(queue, consumer, envelope);
    }
  }

  private nextFreeConsumer(queue: QueueState): ConsumerState | undefined {
    const count = queue.consumers.length;
    for (let i = 0; i < count; i++) {
      const consumer = queue.consumers[(queue.nextConsumer + i) % count];
      if (consumer.inFlight.size < consumer.prefetch) {
        queue.nextConsumer = (queue.nextConsumer + i + 1) % count;
        return consumer;
      }
    }
    return undefined;
  }

  private async deliver(queue: QueueState, consumer: ConsumerState, envelope: Envelope) {
    // Settling is a no-op once the consumer was cancelled: the envelope was already requeued.
    const settle = (requeue: boolean) => {
      if (!consumer.inFlight.delete(envelope)) return;
      if (requeue) queue.ready.unshift({ ...envelope, redelivered: true });
      this.schedule(queue);
    };
    const settlement: DeliverySettlement = {
      ack: () => settle(false),
      requeue: () => settle(true),
    };
    if (queue.spec.deadLetter) {
      settlement.deadLetter = async (headers) => {
        if (!consumer.inFlight.has(envelope)) return;
        const options = envelope.options;
        this.publish(EXCHANGES.deadLetter, envelope.routingKey, envelope.raw, {
          ...options,
          headers: { ...options.headers, ...headers },
        });
        settle(false);
      };
    }
    const meta = {
      queue: queue.spec.name,
      exchange: envelope.exchange,
      routingKey: envelope.routingKey,
      headers: envelope.options.headers ?? {},
      correlationId: envelope.options.correlationId,
      replyTo: envelope.options.replyTo,
      messageId: envelope.options.messageId,
      redelivered: envelope.redelivered,
    };
    await handleDelivery(
      envelope.raw,
      meta,
      consumer.handler,
      consumer.limits,
      settlement,
      this.logger,
    );
  }
}
