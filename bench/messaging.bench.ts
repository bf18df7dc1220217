import { loadConfig } from '@nestify/config';
import { createMessageBus, MessageBus, QueueSpec } from '@nestify/messaging';
import { createTestVhost, TestVhost } from '../test/support/rabbitmq';
import { BenchReport, round } from './report';

/**
 * Message bus throughput: persistent, confirmed ~300-byte messages through a durable queue, on
 * the real RabbitMQ (a throw-away vhost) and on the in-process bus. Sizes from BENCH_MESSAGES
 * (default 20000); BENCH_BUS=amqp or in-process runs one of them.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20000);
const BUSES = (process.env.BENCH_BUS ?? 'amqp,in-process').split(',');
const PREFETCH = 100;
const PAYLOAD = { execution_id: 'e'.repeat(36), text: 'x'.repeat(220) };

const EXCHANGE = 'bench.messages';
const QUEUE: QueueSpec = {
  name: 'bench.messages',
  durable: true,
  deadLetter: true,
  bindings: [{ exchange: EXCHANGE, routingKey: 'm' }],
};

async function publishAll(bus: MessageBus, count: number): Promise<void> {
  const confirms: Promise<void>[] = [];
  for (let n = 0; n < count; n++) confirms.push(bus.publish(EXCHANGE, 'm', { n, ...PAYLOAD }));
  await Promise.all(confirms);
}

function consumeAll(bus: MessageBus, count: number): Promise<() => Promise<void>> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const consumer = bus.consume(
      QUEUE.name,
      async () => {
        if (++seen === count) void consumer.then((c) => resolve(() => c.cancel()));
      },
      { prefetch: PREFETCH },
    );
    consumer.catch(reject);
  });
}

async function measure(kind: string, bus: MessageBus, report: BenchReport): Promise<void> {
  await bus.declare({
    exchanges: [{ name: EXCHANGE, type: 'direct', durable: true }],
    queues: [QUEUE],
  });
  const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

  let start = process.hrtime.bigint();
  await publishAll(bus, MESSAGES);
  const publishS = seconds(start);

  start = process.hrtime.bigint();
  await (
    await consumeAll(bus, MESSAGES)
  )();
  const consumeS = seconds(start);

  start = process.hrtime.bigint();
  const consumed = consumeAll(bus, MESSAGES);
  await publishAll(bus, MESSAGES);
  await (
    await consumed
  )();
  const endToEndS = seconds(start);

  report.record({
    bus: kind,
    messages: MESSAGES,
    prefetch: PREFETCH,
    publish_confirmed_per_s: round(MESSAGES / publishS),
    consume_acked_per_s: round(MESSAGES / consumeS),
    end_to_end_per_s: round(MESSAGES / endToEndS),
  });
}

async function main(): Promise<void> {
  const report = new BenchReport('messaging');
  for (const kind of BUSES) {
    let vhost: TestVhost | undefined;
    if (kind === 'amqp') vhost = await createTestVhost();
    const settings = loadConfig({ AMQP_URL: vhost?.url }).messaging;
    const bus = await createMessageBus(settings);
    try {
      await measure(kind, bus, report);
    } finally {
      await bus.close();
      await vhost?.drop();
    }
  }
  process.stderr.write(`saved ${report.save()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exit(1);
});
