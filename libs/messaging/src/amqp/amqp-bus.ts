import * as amqp from 'amqp-connection-manager';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage, Options } from 'amqplib';
import { LoggerLike, SILENT_LOGGER } from '@nestify/common';
import { DecodeLimits, DeliverySettlement, handleDelivery } from '../bus/handle-delivery';
import {
  BusHealth,
  ConsumeOptions,
  Consumer,
  MessageBus,
  MessageHandler,
  PublishOptions,
} from '../bus/message-bus';
import { encodeBody } from '../bus/message-codec';
import { DEFAULT_EXCHANGE, EXCHANGES, mergeTopologies, Topology } from '../topology';
import { applyTopology } from './apply-topology';

export interface AmqpBusOptions {
  url: string;
  maxBytes: number;
  logger?: LoggerLike;
  /** Shown in RabbitMQ's connection list. */
  connectionName?: string;
  /** How long the first connection may take before start-up fails. */
  connectTimeoutMs?: number;
  /** Publishes waiting for a confirm (or a connection) beyond this fail at once: no silent drops. */
  maxPendingPublishes?: number;
}

const MAX_RECONNECT_SECONDS = 30;

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured AMQP_URL';
  }
}

/**
 * The message bus on a real RabbitMQ, through amqp-connection-manager: one confirm channel for
 * publishing, one channel per consumer (its own prefetch). On a lost connection it reconnects
 * with exponential back-off (capped at 30 s), re-declares the topology, re-publishes what was not
 * confirmed and resumes consuming; the broker redelivers what was not acknowledged.
 */
export class AmqpMessageBus implements MessageBus {
  readonly kind = 'amqp' as const;
  private topology: Topology = { exchanges: [], queues: [] };
  private readonly consumerChannels = new Set<ChannelWrapper>();
  private pendingPublishes = 0;
  private lastError?: string;
  private closed = false;
  private publisher!: ChannelWrapper;

  private constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly options: Required<AmqpBusOptions>,
  ) {}

  static async connect(options: AmqpBusOptions): Promise<AmqpMessageBus> {
    const settings: Required<AmqpBusOptions> = {
      logger: SILENT_LOGGER,
      connectionName: 'nestify',
      connectTimeoutMs: 15000,
      maxPendingPublishes: 100000,
      ...options,
    };
    const connection = amqp.connect([settings.url], {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: settings.connectionName } },
    });
    const bus = new AmqpMessageBus(connection, settings);
    bus.watchConnection();
    try {
      await connection.connect({ timeout: settings.connectTimeoutMs });
    } catch (error) {
      await connection.close();
      const reason = bus.lastError ?? (error as Error).message;
      throw new Error(`RabbitMQ at ${redactUrl(settings.url)} is not reachable: ${reason}`);
    }
    bus.publisher = bus.watchChannel(
      connection.createChannel({
        name: 'publisher',
        confirm: true,
        setup: (channel: Channel) => applyTopology(channel, bus.topology),
      }),
    );
    await bus.publisher.waitForConnect();
    return bus;
  }

  private watchConnection(): void {
    const { logger } = this.options;
    this.connection.on('connect', () => {
      if (this.lastError) logger.log('RabbitMQ connection re-established');
      this.lastError = undefined;
      this.connection.reconnectTimeInSeconds = 1;
    });
    this.connection.on('disconnect', ({ err }) => {
      this.lastError = err?.message ?? 'disconnected';
      if (!this.closed) logger.warn(`RabbitMQ connection lost: ${this.lastError}; reconnecting`);
    });
    this.connection.on('connectFailed', ({ err }) => {
      this.lastError = err?.message ?? 'connection failed';
      const next = Math.min(MAX_RECONNECT_SECONDS, this.connection.reconnectTimeInSeconds * 2);
      this.connection.reconnectTimeInSeconds = next;
    });
  }

  /**
   * A channel whose set-up fails while the broker goes away or comes back emits `error`; with no
   * listener that event would throw and end the process, when all it means is "try again on the
   * next connect" (which the wrapper does).
   */
  private watchChannel(wrapper: ChannelWrapper): ChannelWrapper {
    wrapper.on('error', (error: Error, info?: { name?: string }) => {
      if (!this.closed) {
        this.options.logger.warn(
          `RabbitMQ channel ${info?.name ?? wrapper.name}: ${error.message}; retrying on reconnect`,
        );
      }
    });
    return wrapper;
  }

  async declare(topology: Topology): Promise<void> {
    this.topology = mergeTopologies(this.topology, topology);
    // Declare now on the live channel; reconnects re-declare all of this.topology in `setup`.
    const declareNow = (channel: Channel) => applyTopology(channel, topology);
    await this.publisher.addSetup(declareNow);
    await this.publisher.removeSetup(declareNow);
  }

  async publish(exchange: string, routingKey: string, body: unknown, options: PublishOptions = {}) {
    // A publish to an undeclared exchange would make RabbitMQ close the channel; refuse it here.
    if (exchange !== DEFAULT_EXCHANGE && !this.topology.exchanges.some((e) => e.name === exchange))
      throw new Error(`NOT_FOUND - exchange '${exchange}' is not declared`);
    if (this.pendingPublishes >= this.options.maxPendingPublishes) {
      throw new Error(
        `too many unconfirmed publishes (${this.pendingPublishes}); RabbitMQ is not keeping up`,
      );
    }
    this.pendingPublishes++;
    try {
      await this.publisher.publish(exchange, routingKey, encodeBody(body), publishOptions(options));
    } finally {
      this.pendingPublishes--;
    }
  }

  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions = {}) {
    const spec = this.topology.queues.find((q) => q.name === queue);
    // Declared by another process: make sure it exists before a consumer channel dies on it.
    if (!spec) await this.checkQueueExists(queue);
    const limits = {
      maxBytes: options.maxBytes ?? this.options.maxBytes,
      raw: options.raw,
      // Queues declared elsewhere are work queues, declared with a dead-letter route.
      deadLetters: spec?.deadLetter ?? true,
    };
    const prefetch = options.prefetch ?? 100;
    const wrapper = this.watchChannel(
      this.connection.createChannel({
        name: `consumer:${queue}`,
        confirm: false,
        // Runs again on every reconnect: re-declare, then consume on the new channel.
        setup: async (channel: Channel) => {
          await applyTopology(channel, this.topology);
          await channel.prefetch(prefetch);
          await channel.consume(queue, (message) => {
            if (message) void this.deliver(channel, queue, message, handler, limits);
          });
        },
      }),
    );
    this.consumerChannels.add(wrapper);
    await wrapper.waitForConnect();
    const consumer: Consumer = {
      queue,
      cancel: async () => {
        if (!this.consumerChannels.delete(wrapper)) return;
        await wrapper.close();
      },
    };
    return consumer;
  }

  private async checkQueueExists(queue: string): Promise<void> {
    const probe = this.watchChannel(
      this.connection.createChannel({ name: 'probe', confirm: false }),
    );
    try {
      await probe.waitForConnect();
      await probe.checkQueue(queue);
    } catch (error) {
      throw new Error(`NOT_FOUND - no queue '${queue}': ${(error as Error).message}`);
    } finally {
      await probe.close();
    }
  }

  private deliver(
    channel: Channel,
    queue: string,
    message: ConsumeMessage,
    handler: MessageHandler,
    limits: DecodeLimits & { deadLetters: boolean },
  ) {
    const { fields, properties } = message;
    // Acks go to the channel that delivered: after a reconnect its tags mean nothing elsewhere.
    const settlement: DeliverySettlement = {
      ack: () => channel.ack(message),
      requeue: () => channel.nack(message, false, true),
    };
    if (limits.deadLetters) {
      settlement.deadLetter = async (headers) => {
        try {
          await this.publish(EXCHANGES.deadLetter, fields.routingKey, message.content, {
            headers: { ...properties.headers, ...headers },
            correlationId: properties.correlationId,
            messageId: properties.messageId,
          });
          channel.ack(message);
        } catch {
          // Could not add the reason: let the queue's own dead-letter route take it.
          channel.nack(message, false, false);
        }
      };
    }
    const meta = {
      queue,
      exchange: fields.exchange,
      routingKey: fields.routingKey,
      headers: (properties.headers ?? {}) as Record<string, unknown>,
      correlationId: properties.correlationId as string | undefined,
      replyTo: properties.replyTo as string | undefined,
      messageId: properties.messageId as string | undefined,
      redelivered: fields.redelivered,
    };
    return handleDelivery(message.content, meta, handler, limits, settlement, this.options.logger);
  }

  async ping(): Promise<BusHealth> {
    if (!this.closed && this.connection.isConnected()) return { ok: true, kind: this.kind };
    return { ok: false, kind: this.kind, error: this.closed ? 'closed' : this.lastError };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumerChannels].map((wrapper) => wrapper.close()));
    this.consumerChannels.clear();
    await this.publisher?.close();
    await this.connection.close();
  }
}

function publishOptions(options: PublishOptions): Options.Publish {
  return {
    persistent: options.persistent ?? true,
    contentType: 'application/json',
    headers: options.headers,
    correlationId: options.correlationId,
    replyTo: options.replyTo,
    messageId: options.messageId,
    timestamp: Math.floor(Date.now() / 1000),
  };
}
