import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { RejectMessageError } from '../bus/disposition';
import { Consumer, IncomingMessage, MessageBus } from '../bus/message-bus';
import { DEFAULT_EXCHANGE } from '../topology';
import { NestifyContext } from './nestify.context';

export interface QueueSubscription {
  queue: string;
  prefetch?: number;
}

/**
 * Our Nest transport: consumes the given queues from the message bus and hands each message to
 * the `@EventPattern(queue)` or `@MessagePattern(queue)` handler named by its queue. The message
 * is acknowledged only after the handler (and the observable it returns) has finished; a handler
 * error dead-letters or requeues it (see dispositionOf). A `@MessagePattern` handler's result is
 * sent to the message's `replyTo` queue with its correlation id.
 */
export class NestifyTransportServer extends Server implements CustomTransportStrategy {
  private consumers: Consumer[] = [];

  constructor(
    private readonly bus: MessageBus,
    private readonly subscriptions: QueueSubscription[],
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const { queue, prefetch } of this.subscriptions) {
        const consumer = await this.bus.consume(queue, (message) => this.dispatch(message), {
          prefetch,
        });
        this.consumers.push(consumer);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async dispatch(message: IncomingMessage): Promise<void> {
    const handler = this.getHandlerByPattern(message.queue);
    if (!handler) throw new RejectMessageError('no_handler', `nothing handles ${message.queue}`);
    if (handler.isEventHandler || !message.replyTo) {
      await this.runHandler(handler, message);
      return;
    }
    // Request/response: the caller gets the error too, so a failed request is still acked.
    let reply: { response?: unknown; err?: unknown; isDisposed: true };
    try {
      reply = { response: await this.runHandler(handler, message), isDisposed: true };
    } catch (error) {
      reply = { err: errorPayload(error), isDisposed: true };
    }
    await this.bus.publish(DEFAULT_EXCHANGE, message.replyTo, reply, {
      persistent: false,
      correlationId: message.correlationId,
    });
  }

  private async runHandler(handler: MessageHandler, message: IncomingMessage): Promise<unknown> {
    const result = await handler(message.body, new NestifyContext(message));
    return lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  async close(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    await Promise.all(consumers.map((consumer) => consumer.cancel()));
  }

  on(): void {
    throw new Error('NestifyTransportServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

function errorPayload(error: unknown): unknown {
  if (error instanceof Error) return { message: error.message, name: error.name };
  return error;
}
