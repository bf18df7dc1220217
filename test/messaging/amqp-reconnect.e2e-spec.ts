import { connect } from 'amqplib';
import { loadConfig } from '@nestify/config';
import { AmqpMessageBus, createMessageBus } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { createTestVhost, requireRealRabbit, TestVhost } from '../support/rabbitmq';

/**
 * A consumer whose queue is gone when the connection comes back: its channel's set-up fails on
 * every reconnect. That must stay a logged warning — an unhandled channel `error` event ends
 * the whole process (a RabbitMQ restart would take the REST service down with it).
 */
(requireRealRabbit() ? describe : describe.skip)('AMQP bus across a reconnect', () => {
  let vhost: TestVhost;
  let bus: MessageBus;
  const warnings: string[] = [];

  beforeAll(async () => {
    vhost = await createTestVhost();
    bus = await createMessageBus(loadConfig({ AMQP_URL: vhost.url }).messaging, {
      logger: {
        log: () => undefined,
        warn: (m) => void warnings.push(String(m)),
        error: () => undefined,
      },
    });
    expect(bus).toBeInstanceOf(AmqpMessageBus);
  });

  afterAll(async () => {
    await bus.close();
    await vhost.drop();
  });

  it('keeps running when a consumer cannot come back after the broker dropped the connection', async () => {
    // Declared by "another process", consumed here, then deleted while the connection is down.
    const raw = await connect(vhost.url);
    const channel = await raw.createChannel();
    await channel.assertQueue('elsewhere', { durable: false });
    await bus.consume('elsewhere', async () => undefined);
    await channel.deleteQueue('elsewhere');
    await raw.close();
    await vhost.closeConnections('test: broker restart');

    // The bus reconnects; the consumer's set-up fails (no queue) and is reported, not thrown.
    const deadline = Date.now() + 20000;
    while (!warnings.some((w) => w.includes('consumer:elsewhere')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(warnings.some((w) => w.includes('consumer:elsewhere'))).toBe(true);
    // And the rest of the bus works: a publish is confirmed on the new connection (the
    // publisher channel may still be coming back, so allow it a few tries).
    let published = false;
    while (!published && Date.now() < deadline) {
      published = await bus.publish('', 'nobody-listens', { ok: true }).then(
        () => true,
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 200)),
      );
    }
    expect(published).toBe(true);
  }, 30000);
});
