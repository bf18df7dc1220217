import { randomUUID } from 'node:crypto';
import {
  Consumer,
  DEAD_LETTER_HEADERS,
  DEFAULT_EXCHANGE,
  EXCHANGES,
  eventRoutingKey,
  IncomingMessage,
  MessageBus,
  MessageHandler,
  metricRoutingKey,
  QUEUES,
  QueueSpec,
  RejectMessageError,
  RetryMessageError,
} from '@nestify/messaging';
import { waitFor } from '../support/processes';
import { BusBackend, busBackends, MAX_MESSAGE_BYTES } from './bus-backends';

const MESSAGE_COUNT = 10_000;

/** A durable, dead-lettering work queue of this test alone, bound to a direct exchange of its own. */
function workQueue(): { exchange: string; queue: QueueSpec } {
  const exchange = `contract.${randomUUID()}`;
  const queue: QueueSpec = {
    name: `${exchange}.work`,
    durable: true,
    deadLetter: true,
    bindings: [{ exchange, routingKey: 'work' }],
  };
  return { exchange, queue };
}

/** Collects what lands in the dead-letter queue, with the reason headers. */
async function watchDeadLetters(bus: MessageBus): Promise<{
  messages: IncomingMessage[];
  consumer: Consumer;
}> {
  const messages: IncomingMessage[] = [];
  // Dead letters may be over the normal limit (that is why some are there).
  const consumer = await bus.consume(
    QUEUES.deadLetter,
    async (message) => void messages.push(message),
    { maxBytes: 16 * MAX_MESSAGE_BYTES, raw: true },
  );
  return { messages, consumer };
}

describe.each(busBackends())('message bus contract on %s', (_name, makeBackend) => {
  let backend: BusBackend;
  let bus: MessageBus;

  beforeAll(async () => {
    backend = await makeBackend();
    bus = await backend.open();
  });

  afterAll(() => backend?.cleanup());

  it(`moves ${MESSAGE_COUNT} confirmed messages, each handled once per delivery, through a lost connection`, async () => {
    const { exchange, queue } = workQueue();
    await bus.declare({
      exchanges: [{ name: exchange, type: 'direct', durable: true }],
      queues: [queue],
    });
    const consumerBus = await backend.open();
    const acked = new Set<number>();
    const deliveries = new Map<number, number>();
    let duplicatesWithoutRedelivery = 0;
    let redeliveries = 0;
    let interrupted = false;
    let held = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let consumer: Consumer | undefined;
    const handler: MessageHandler = async (message) => {
      const { n } = message.body as { n: number };
      deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
      if (message.redelivered) redeliveries++;
      // A second delivery of an acknowledged message would be a loss of the ack guarantee.
      if (acked.has(n) && !message.redelivered) duplicatesWithoutRedelivery++;
      // Mid-stream, hold a full prefetch window unacknowledged until the connection is cut.
      if (acked.size >= MESSAGE_COUNT / 10 && !interrupted) {
        held++;
        await gate;
      }
      acked.add(n);
    };
    consumer = await consumerBus.consume(queue.name, handler, { prefetch: 50 });

    const published: Promise<void>[] = [];
    for (let n = 0; n < MESSAGE_COUNT; n++) {
      published.push(bus.publish(exchange, 'work', { n, pad: 'x'.repeat(200) }));
      if (n === MESSAGE_COUNT / 2) {
        await waitFor('a full window held unacknowledged', async () =>
          held === 50 ? true : undefined,
        );
        consumer = await backend.interrupt(consumerBus, consumer, handler);
        interrupted = true;
        release();
      }
    }
    await Promise.all(published);
    expect(interrupted).toBe(true);

    await waitFor(
      'every message acknowledged',
      async () => (acked.size === MESSAGE_COUNT ? true : undefined),
      120000,
    );
    expect(duplicatesWithoutRedelivery).toBe(0);
    // The interruption took deliveries away unacknowledged; the broker gave them again.
    expect(redeliveries).toBeGreaterThan(0);
    expect(await consumerBus.ping()).toMatchObject({ ok: true });
    for (let n = 0; n < MESSAGE_COUNT; n++) expect(deliveries.get(n)).toBeGreaterThanOrEqual(1);
    await consumer.cancel();
  });

  it('dead-letters malformed and oversized bodies with the reason, and keeps consuming', async () => {
    const { exchange, queue } = workQueue();
    await bus.declare({
      exchanges: [{ name: exchange, type: 'direct', durable: true }],
      queues: [queue],
    });
    const deadLetters = await watchDeadLetters(bus);
    const handled: unknown[] = [];
    const consumer = await bus.consume(queue.name, async (message) => {
      handled.push(message.body);
    });

    await bus.publish(exchange, 'work', Buffer.from('{"not": json'));
    await bus.publish(exchange, 'work', { big: 'y'.repeat(MAX_MESSAGE_BYTES) });
    await bus.publish(exchange, 'work', { ok: true });

    await waitFor('the good message handled', async () =>
      handled.length === 1 ? true : undefined,
    );
    const mine = () =>
      deadLetters.messages.filter((m) => m.headers[DEAD_LETTER_HEADERS.queue] === queue.name);
    await waitFor('two dead letters', async () => (mine().length === 2 ? true : undefined));
    expect(handled).toEqual([{ ok: true }]);
    const bodies = mine().map((m) => String(m.body));
    expect(bodies).toContain('{"not": json');
    const reasons = mine()
      .map((m) => m.headers[DEAD_LETTER_HEADERS.reason])
      .sort();
    expect(reasons).toEqual(['malformed_json', 'too_large']);
    const malformed = mine().find(
      (m) => m.headers[DEAD_LETTER_HEADERS.reason] === 'malformed_json',
    );
    expect(String(malformed?.headers[DEAD_LETTER_HEADERS.detail])).toMatch(/JSON/);
    expect(malformed?.headers[DEAD_LETTER_HEADERS.exchange]).toBe(exchange);
    await consumer.cancel();
    await deadLetters.consumer.cancel();
  });

  it('obeys handler decisions: reject dead-letters, retry redelivers, other errors get one more try', async () => {
    const { exchange, queue } = workQueue();
    await bus.declare({
      exchanges: [{ name: exchange, type: 'direct', durable: true }],
      queues: [queue],
    });
    const deadLetters = await watchDeadLetters(bus);
    const seen: { kind: string; redelivered: boolean }[] = [];
    const consumer = await bus.consume(queue.name, async (message) => {
      const { kind } = message.body as { kind: string };
      seen.push({ kind, redelivered: message.redelivered });
      if (kind === 'reject') throw new RejectMessageError('unknown_execution', 'no such execution');
      if (kind === 'retry' && !message.redelivered) throw new RetryMessageError('db down', 10);
      if (kind === 'crash') throw new Error('boom');
    });
    for (const kind of ['reject', 'retry', 'crash']) await bus.publish(exchange, 'work', { kind });

    const mine = () =>
      deadLetters.messages.filter((m) => m.headers[DEAD_LETTER_HEADERS.queue] === queue.name);
    await waitFor('two dead letters', async () => (mine().length === 2 ? true : undefined));
    await waitFor('retry redelivered', async () =>
      seen.some((s) => s.kind === 'retry' && s.redelivered) ? true : undefined,
    );
    const byReason = Object.fromEntries(
      mine().map((m) => [m.headers[DEAD_LETTER_HEADERS.reason], JSON.parse(String(m.body))]),
    );
    expect(byReason).toEqual({
      unknown_execution: { kind: 'reject' },
      handler_error: { kind: 'crash' },
    });
    expect(seen.filter((s) => s.kind === 'reject')).toHaveLength(1);
    expect(seen.filter((s) => s.kind === 'crash')).toEqual([
      { kind: 'crash', redelivered: false },
      { kind: 'crash', redelivered: true },
    ]);
    await consumer.cancel();
    await deadLetters.consumer.cancel();
  });

  it('never holds more unacknowledged deliveries than the prefetch', async () => {
    const { exchange, queue } = workQueue();
    await bus.declare({
      exchanges: [{ name: exchange, type: 'direct', durable: true }],
      queues: [queue],
    });
    let inFlight = 0;
    let peak = 0;
    let done = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumer = await bus.consume(
      queue.name,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await gate;
        inFlight--;
        done++;
      },
      { prefetch: 5 },
    );
    await Promise.all(Array.from({ length: 40 }, (_, n) => bus.publish(exchange, 'work', { n })));
    await waitFor('the prefetch window filled', async () => (inFlight === 5 ? true : undefined));
    expect(peak).toBe(5);
    release();
    await waitFor('all handled', async () => (done === 40 ? true : undefined));
    expect(peak).toBe(5);
    await consumer.cancel();
  });

  it('routes events, logs and metrics through the core exchanges of the spec', async () => {
    const probe = (name: string, exchange: string, routingKey: string): QueueSpec => ({
      name: `probe.${name}.${randomUUID()}`,
      durable: false,
      autoDelete: true,
      bindings: [{ exchange, routingKey }],
    });
    const queues = {
      tenantEvents: probe('events', EXCHANGES.events, 'events.default_tenant.#'),
      otherTenant: probe('other', EXCHANGES.events, 'events.other_tenant.#'),
      logs: probe('logs', EXCHANGES.logs, ''),
      cpu: probe('cpu', EXCHANGES.monitoring, '*.*.*.cpu.#'),
      workflows: probe('workflows', EXCHANGES.management, 'workflow'),
    };
    await bus.declare({ exchanges: [], queues: Object.values(queues) });
    const received: Record<string, unknown[]> = {};
    const consumers = await Promise.all(
      Object.entries(queues).map(([key, spec]) =>
        bus.consume(spec.name, async (message) => {
          (received[key] ??= []).push(message.body);
        }),
      ),
    );
    await bus.publish(EXCHANGES.events, eventRoutingKey('default_tenant', 'dep.1', 'ex-1'), {
      e: 1,
    });
    await bus.publish(EXCHANGES.logs, 'anything', { l: 1 });
    await bus.publish(
      EXCHANGES.monitoring,
      metricRoutingKey('dep', 'vm', 'vm_abc123', 'cpu.total.user'),
      { m: 1 },
    );
    await bus.publish(
      EXCHANGES.monitoring,
      metricRoutingKey('dep', 'vm', 'vm_abc123', 'memory.free'),
      { m: 2 },
    );
    await bus.publish(EXCHANGES.management, 'workflow', { w: 1 });
    await bus.publish(DEFAULT_EXCHANGE, queues.logs.name, { direct: true });

    await waitFor('deliveries', async () =>
      received.tenantEvents && received.logs?.length === 2 && received.cpu && received.workflows
        ? true
        : undefined,
    );
    expect(received.tenantEvents).toEqual([{ e: 1 }]);
    expect(received.otherTenant).toBeUndefined();
    expect(received.logs).toEqual(expect.arrayContaining([{ l: 1 }, { direct: true }]));
    expect(received.cpu).toEqual([{ m: 1 }]);
    expect(received.workflows).toEqual([{ w: 1 }]);
    await Promise.all(consumers.map((c) => c.cancel()));
  });

  it('refuses to publish to an exchange that was never declared, and stays usable', async () => {
    await expect(bus.publish('no.such.exchange', 'x', {})).rejects.toThrow(/NOT_FOUND/);
    const { exchange, queue } = workQueue();
    await bus.declare({
      exchanges: [{ name: exchange, type: 'direct', durable: true }],
      queues: [queue],
    });
    const got: unknown[] = [];
    const consumer = await bus.consume(queue.name, async (m) => void got.push(m.body));
    await bus.publish(exchange, 'work', { still: 'fine' });
    await waitFor('delivery', async () => (got.length === 1 ? true : undefined));
    await consumer.cancel();
  });

  it('reports its health', async () => {
    expect(await bus.ping()).toEqual({ ok: true, kind: bus.kind });
  });
});
