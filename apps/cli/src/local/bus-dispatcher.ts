import { newUuid } from '@nestify/common';
import {
  type Consumer,
  type IncomingMessage,
  type MessageBus,
  replyQueue,
  ROUTING_KEYS,
} from '@nestify/messaging';
import type {
  OperationDispatcher,
  OperationReply,
  OperationRequest,
  SerializedError,
} from '@nestify/workflows';

type Waiter = (reply: OperationReply) => void;

/**
 * Sends operation tasks to the in-process worker over the bus, as the mgmtworker does over
 * RabbitMQ: `replyTo` a private queue and `correlationId` the task id, by which replies are
 * matched. Local mode thereby runs operations through the same worker code as a manager.
 */
export class BusDispatcher implements OperationDispatcher {
  private readonly waiters = new Map<string, Waiter>();
  private readonly queue = replyQueue(`local-${newUuid()}`);
  private consumer: Consumer | undefined;

  constructor(private readonly bus: MessageBus) {}

  async start(): Promise<void> {
    await this.bus.declare({ exchanges: [], queues: [this.queue] });
    this.consumer = await this.bus.consume(this.queue.name, (message) => this.onReply(message), {
      prefetch: 1000,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.cancel();
  }

  send(request: OperationRequest): Promise<OperationReply> {
    const id = request.message.id;
    const reply = new Promise<OperationReply>((resolve) => this.waiters.set(id, resolve));
    return this.bus
      .publish(request.target, ROUTING_KEYS.operation, request.message, {
        persistent: false,
        replyTo: this.queue.name,
        correlationId: id,
        messageId: id,
      })
      .then(
        () => reply,
        (error: unknown) => {
          this.waiters.delete(id);
          throw error;
        },
      );
  }

  private async onReply(message: IncomingMessage): Promise<void> {
    const waiter = message.correlationId ? this.waiters.get(message.correlationId) : undefined;
    if (!waiter || !message.correlationId) return;
    this.waiters.delete(message.correlationId);
    waiter(toReply(message.body));
  }
}

/** A reply body as the engine reads it; anything malformed counts as a recoverable error. */
function toReply(body: unknown): OperationReply {
  const reply = body as { ok?: unknown; result?: unknown; error?: Partial<SerializedError> };
  if (reply?.ok === true) return { ok: true, result: (reply.result ?? null) as never };
  if (reply?.ok === false && typeof reply.error?.message === 'string') {
    return {
      ok: false,
      error: { exception_type: 'Error', ...reply.error, message: reply.error.message },
    };
  }
  const message = 'Malformed operation reply';
  return {
    ok: false,
    error: {
      exception_type: 'RecoverableError',
      known_exception_type: 'RecoverableError',
      message,
    },
  };
}
