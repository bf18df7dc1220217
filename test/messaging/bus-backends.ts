import { loadConfig } from '@nestify/config';
import {
  Consumer,
  createMessageBus,
  MessageBus,
  MessageHandler,
  InProcessMessageBus,
} from '@nestify/messaging';
import { createTestVhost, requireRealRabbit, TestVhost } from '../support/rabbitmq';

/** Small enough to test `too_large` without megabytes of test data. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Where a contract suite runs: a fresh vhost on the real RabbitMQ, or the in-process broker. */
export interface BusBackend {
  name: string;
  /** A new connection to this backend's broker, with the core topology declared. */
  open(): Promise<MessageBus>;
  /**
   * Breaks the consumer's link to the broker mid-stream. RabbitMQ: the broker closes every
   * connection of the vhost and the bus reconnects by itself. In-process: the consumer is
   * cancelled (its unacknowledged deliveries go back) and resubscribes, as an app would.
   */
  interrupt(bus: MessageBus, consumer: Consumer, handler: MessageHandler): Promise<Consumer>;
  cleanup(): Promise<void>;
}

function settings(url?: string) {
  return loadConfig({ AMQP_URL: url, MESSAGE_MAX_BYTES: String(MAX_MESSAGE_BYTES) }).messaging;
}

export async function rabbitBackend(): Promise<BusBackend> {
  const vhost: TestVhost = await createTestVhost();
  const buses: MessageBus[] = [];
  return {
    name: 'RabbitMQ',
    async open() {
      const bus = await createMessageBus(settings(vhost.url));
      buses.push(bus);
      return bus;
    },
    async interrupt(_bus, consumer) {
      await vhost.closeConnections('contract test: connection lost mid-stream');
      return consumer;
    },
    async cleanup() {
      await Promise.all(buses.map((bus) => bus.close()));
      await vhost.drop();
    },
  };
}

export async function inProcessBackend(): Promise<BusBackend> {
  const buses: MessageBus[] = [];
  return {
    name: 'in-process bus',
    async open() {
      const bus = await createMessageBus(settings());
      if (!(bus instanceof InProcessMessageBus)) throw new Error('expected the in-process bus');
      buses.push(bus);
      return bus;
    },
    async interrupt(bus, consumer, handler) {
      await consumer.cancel();
      return bus.consume(consumer.queue, handler, { prefetch: 50 });
    },
    async cleanup() {
      await Promise.all(buses.map((bus) => bus.close()));
    },
  };
}

/** Both backends; RabbitMQ only when reachable (in CI an unreachable broker fails the run). */
export function busBackends(): [string, () => Promise<BusBackend>][] {
  const list: [string, () => Promise<BusBackend>][] = [['in-process bus', inProcessBackend]];
  if (requireRealRabbit()) list.unshift(['RabbitMQ', rabbitBackend]);
  return list;
}
