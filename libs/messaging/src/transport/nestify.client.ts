import { randomUUID } from 'node:crypto';
import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { Consumer, IncomingMessage, MessageBus } from '../bus/message-bus';
import { replyQueue } from '../topology';
import { resolveTarget } from './message-target';

/**
 * A Nest ClientProxy on the message bus. `emit(target, data)` publishes (persistent, confirmed);
 * `send(target, data)` also waits for the handler's reply on this client's own reply queue.
 * Targets are queue names or `{ exchange, routingKey }` (see MessageTarget).
 */
export class NestifyClientProxy extends ClientProxy {
  private readonly pending = new Map<string, (packet: WritePacket) => void>();
  private replies?: Promise<{ queue: string; consumer: Consumer }>;

  constructor(private readonly bus: MessageBus) {
    super();
  }

  async connect(): Promise<void> {
    // Nothing to open: the bus is connected already. The reply queue is made on the first send.
  }

  private replyQueue(): Promise<{ queue: string; consumer: Consumer }> {
    this.replies ??= (async () => {
      const spec = replyQueue(randomUUID());
      await this.bus.declare({ exchanges: [], queues: [spec] });
      const consumer = await this.bus.consume(spec.name, async (message) => this.onReply(message));
      return { queue: spec.name, consumer };
    })();
    return this.replies;
  }

  private async onReply(message: IncomingMessage): Promise<void> {
    const callback = message.correlationId ? this.pending.get(message.correlationId) : undefined;
    if (!callback) return; // the caller gave up (unsubscribed); nothing waits for this reply
    const packet = message.body as WritePacket;
    if (packet.isDisposed) this.pending.delete(message.correlationId as string);
    callback(packet);
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const correlationId = randomUUID();
    this.pending.set(correlationId, callback);
    void (async () => {
      const { exchange, routingKey, persistent } = resolveTarget(packet.pattern);
      const { queue } = await this.replyQueue();
      await this.bus.publish(exchange, routingKey, packet.data, {
        persistent,
        correlationId,
        replyTo: queue,
      });
    })().catch((error: unknown) => {
      this.pending.delete(correlationId);
      callback({ err: error, isDisposed: true });
    });
    return () => this.pending.delete(correlationId);
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const { exchange, routingKey, persistent } = resolveTarget(packet.pattern);
    await this.bus.publish(exchange, routingKey, packet.data, { persistent });
    return undefined as T;
  }

  async close(): Promise<void> {
    const replies = this.replies;
    this.replies = undefined;
    this.pending.clear();
    if (replies) await (await replies).consumer.cancel();
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
