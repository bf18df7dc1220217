import { Topology } from '../topology';

export type BusKind = 'amqp' | 'in-process';

export interface PublishOptions {
  /** Survives a broker restart (default true). Heartbeats and replies are transient. */
  persistent?: boolean;
  headers?: Record<string, unknown>;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
}

/** A delivered message, already decoded from JSON. */
export interface IncomingMessage {
  queue: string;
  exchange: string;
  routingKey: string;
  body: unknown;
  /** Size of the raw body in bytes. */
  size: number;
  headers: Record<string, unknown>;
  correlationId?: string;
  replyTo?: string;
  messageId?: string;
  /** True when this message was delivered before and not acknowledged. */
  redelivered: boolean;
}

/**
 * Handles one delivery. Resolving acknowledges the message; throwing decides its fate through
 * `dispositionOf` (dead-letter with a reason, or requeue).
 */
export type MessageHandler = (message: IncomingMessage) => Promise<void>;

export interface ConsumeOptions {
  /** Unacknowledged deliveries this consumer may hold at once. */
  prefetch?: number;
  /** Largest body this consumer accepts (default: the bus's MESSAGE_MAX_BYTES). */
  maxBytes?: number;
  /**
   * Hand the body over as its UTF-8 text instead of parsed JSON (for the dead-letter queue, where
   * bodies may be anything).
   */
  raw?: boolean;
}

export interface Consumer {
  readonly queue: string;
  cancel(): Promise<void>;
}

export interface BusHealth {
  ok: boolean;
  kind: BusKind;
  error?: string;
}

/**
 * What every app publishes and consumes through: RabbitMQ (`AmqpMessageBus`) or the in-process
 * bus of the embedded defaults (`InProcessMessageBus`), with the same at-least-once contract —
 * publishing resolves once the broker has the message, a delivery is redelivered until acked,
 * and bodies that are not JSON or too large are dead-lettered with a reason.
 */
export interface MessageBus {
  readonly kind: BusKind;
  /** Declares exchanges, queues and bindings; idempotent, and kept across reconnects. */
  declare(topology: Topology): Promise<void>;
  /** Publishes a JSON body (a Buffer is sent as-is). Resolves after the broker confirmed it. */
  publish(
    exchange: string,
    routingKey: string,
    body: unknown,
    options?: PublishOptions,
  ): Promise<void>;
  consume(queue: string, handler: MessageHandler, options?: ConsumeOptions): Promise<Consumer>;
  ping(): Promise<BusHealth>;
  close(): Promise<void>;
}

export const MESSAGE_BUS = 'NESTIFY_MESSAGE_BUS';
