import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { firstValueFrom } from 'rxjs';
import {
  DEAD_LETTER_HEADERS,
  EXCHANGES,
  IncomingMessage,
  MessageBus,
  NestifyClientProxy,
  NestifyContext,
  NestifyTransportServer,
  QUEUES,
  RejectMessageError,
} from '@nestify/messaging';
import { waitFor } from '../support/processes';
import { BusBackend, busBackends } from './bus-backends';

const ADD_QUEUE = 'transport-test.add';

/** What the handlers saw, for the assertions. */
const seen: { workflows: { body: unknown; routingKey: string }[] } = { workflows: [] };

@Controller()
class TestHandlers {
  @EventPattern(QUEUES.workflows)
  async onWorkflow(@Payload() body: { id: string; poison?: boolean }, @Ctx() ctx: NestifyContext) {
    if (body.poison) throw new RejectMessageError('unknown_execution', `no execution ${body.id}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    seen.workflows.push({ body, routingKey: ctx.getMessage().routingKey });
  }

  @MessagePattern(ADD_QUEUE)
  add(@Payload() { a, b }: { a: number; b: number }): number {
    if (a < 0) throw new Error('negative numbers are not allowed');
    return a + b;
  }
}

@Module({ controllers: [TestHandlers] })
class TestHandlersModule {}

describe.each(busBackends())('Nest transport on %s', (_name, makeBackend) => {
  let backend: BusBackend;
  let bus: MessageBus;
  let microservice: INestMicroservice;
  let client: NestifyClientProxy;
  const deadLetters: IncomingMessage[] = [];

  beforeAll(async () => {
    seen.workflows = [];
    backend = await makeBackend();
    bus = await backend.open();
    await bus.declare({
      exchanges: [],
      queues: [{ name: ADD_QUEUE, durable: true, deadLetter: true, bindings: [] }],
    });
    const moduleRef = await Test.createTestingModule({ imports: [TestHandlersModule] }).compile();
    microservice = moduleRef.createNestMicroservice({
      strategy: new NestifyTransportServer(bus, [
        { queue: QUEUES.workflows, prefetch: 10 },
        { queue: ADD_QUEUE, prefetch: 10 },
      ]),
      logger: false,
    });
    await microservice.listen();
    client = new NestifyClientProxy(bus);
    await bus.consume(QUEUES.deadLetter, async (m) => void deadLetters.push(m), { raw: true });
  });

  afterAll(async () => {
    await client?.close();
    await microservice?.close();
    await backend?.cleanup();
  });

  it('delivers @EventPattern messages published to an exchange, with their context', async () => {
    for (let i = 0; i < 20; i++) {
      await firstValueFrom(
        client.emit({ exchange: EXCHANGES.management, routingKey: 'workflow' }, { id: `ex-${i}` }),
        { defaultValue: undefined },
      );
    }
    await waitFor('all handled', async () => (seen.workflows.length === 20 ? true : undefined));
    expect(new Set(seen.workflows.map((w) => (w.body as { id: string }).id)).size).toBe(20);
    expect(seen.workflows.every((w) => w.routingKey === 'workflow')).toBe(true);
  });

  it("dead-letters a message whose handler rejects it, keeping the handler's reason", async () => {
    await firstValueFrom(client.emit(QUEUES.workflows, { id: 'ghost', poison: true }), {
      defaultValue: undefined,
    });
    await waitFor('the dead letter', async () =>
      deadLetters.some((m) => String(m.body).includes('ghost')) ? true : undefined,
    );
    const dead = deadLetters.find((m) => String(m.body).includes('ghost'));
    expect(dead?.headers[DEAD_LETTER_HEADERS.reason]).toBe('unknown_execution');
    expect(dead?.headers[DEAD_LETTER_HEADERS.detail]).toBe('no execution ghost');
    expect(dead?.headers[DEAD_LETTER_HEADERS.queue]).toBe(QUEUES.workflows);
  });

  it('answers @MessagePattern requests on the caller’s reply queue, errors included', async () => {
    const sums = await Promise.all(
      [1, 2, 3].map((a) => firstValueFrom(client.send<number>(ADD_QUEUE, { a, b: 10 }))),
    );
    expect(sums).toEqual([11, 12, 13]);
    await expect(firstValueFrom(client.send(ADD_QUEUE, { a: -1, b: 1 }))).rejects.toMatchObject({
      status: 'error',
    });
  });
});
