import { randomUUID } from 'node:crypto';
import { loadConfig } from '@nestify/config';
import {
  DEFAULT_EXCHANGE,
  EXCHANGES,
  QUEUES,
  ROUTING_KEYS,
  createMessageBus,
} from '@nestify/messaging';
import type { IncomingMessage, MessageBus } from '@nestify/messaging';
import type { OperationRequest, WorkflowEventMessage } from '@nestify/workflows';
import { BusEventSink } from '../../apps/mgmtworker/src/dispatch/event-sink';
import {
  BusOperationDispatcher,
  ExecutionDispatchClosedError,
} from '../../apps/mgmtworker/src/dispatch/operation-dispatcher';
import { createTestVhost, requireRealRabbit } from '../support/rabbitmq';
import { eventually } from './support';

function operation(id: string, target: string = EXCHANGES.management): OperationRequest {
  return {
    target,
    hostAgent: target !== EXCHANGES.management,
    message: {
      id,
      cloudify_task: {
        kwargs: { port: 8080, __cloudify_context: { task_id: id, execution_id: 'e1' } },
      },
    },
  };
}

function event(text: string, executionId: string): WorkflowEventMessage {
  return {
    message_id: randomUUID(),
    type: 'cloudify_event',
    event_type: 'workflow_node_event',
    timestamp: new Date().toISOString(),
    message: { text },
    context: { execution_id: executionId },
  };
}

/**
 * Operation dispatch and event publishing over a real RabbitMQ: tasks reach the executor's queue
 * with reply-to and correlation id, replies come back matched by id (also when they arrive
 * early or out of order), host-agent exchanges are declared, events and logs go out in batches.
 */
(requireRealRabbit() ? describe : describe.skip)('mgmtworker dispatch over RabbitMQ', () => {
  let bus: MessageBus;
  let workerBus: MessageBus;
  let dropVhost: () => Promise<void>;
  const received: IncomingMessage[] = [];

  beforeAll(async () => {
    const vhost = await createTestVhost();
    dropVhost = vhost.drop;
    const config = loadConfig({ AMQP_URL: vhost.url, LOG_LEVEL: 'silent' });
    bus = await createMessageBus(config.messaging);
    workerBus = await createMessageBus(config.messaging);
    await workerBus.consume(QUEUES.operations, async (message) => {
      received.push(message);
    });
  });

  afterAll(async () => {
    await bus?.close();
    await workerBus?.close();
    await dropVhost?.();
  });

  /** Each task received, with its message: a message carries one task or a list of them. */
  const receivedTasks = () =>
    received.flatMap((message) =>
      (Array.isArray(message.body) ? message.body : [message.body]).map((task) => ({
        message,
        task: task as OperationRequest['message'],
      })),
    );
  const tasksFor = (ids: string[]) => receivedTasks().filter(({ task }) => ids.includes(task.id));

  /** A worker's answer: to the message's reply queue, correlated by the task's id. */
  const reply = (message: IncomingMessage, taskId: string, body: unknown) =>
    workerBus.publish(DEFAULT_EXCHANGE, String(message.replyTo), body, {
      correlationId: taskId,
      persistent: false,
    });

  it('publishes to the executor with reply-to, the tasks of one turn in one message, and resolves with the matching replies', async () => {
    const dispatcher = new BusOperationDispatcher(bus, `w-${randomUUID()}`);
    await dispatcher.start();
    const ids: string[] = [randomUUID(), randomUUID(), randomUUID()];
    const replies = ids.map((id) => dispatcher.forExecution('e1').send(operation(id)));
    const tasks = await eventually('the three tasks', () => {
      const mine = tasksFor(ids);
      return mine.length === 3 ? mine : undefined;
    });
    // Sent in one turn of the event loop: one message listing them in order (messaging.md §1).
    expect(new Set(tasks.map(({ message }) => message)).size).toBe(1);
    expect(tasks[0].message).toMatchObject({
      exchange: EXCHANGES.management,
      routingKey: ROUTING_KEYS.operation,
      replyTo: dispatcher.replyQueue,
    });
    expect(tasks[0].message.body).toEqual(ids.map((id) => operation(id).message));
    // Answer out of order: each send gets its own reply.
    for (const { message, task } of [...tasks].reverse()) {
      await reply(message, task.id, { ok: true, result: `done ${task.id}` });
    }
    await expect(Promise.all(replies)).resolves.toEqual(
      ids.map((id) => ({ ok: true, result: `done ${id}` })),
    );
    expect(dispatcher.inFlight).toBe(0);
    await dispatcher.stop();
  });

  it('passes serialized errors through and turns malformed replies into recoverable errors', async () => {
    const dispatcher = new BusOperationDispatcher(bus, `w-${randomUUID()}`);
    await dispatcher.start();
    const [failing, garbled]: string[] = [randomUUID(), randomUUID()];
    const first = dispatcher.send(operation(failing), 'e1');
    const second = dispatcher.send(operation(garbled), 'e1');
    const tasks = await eventually('both tasks', () => {
      const mine = tasksFor([failing, garbled]);
      return mine.length === 2 ? mine : undefined;
    });
    const error = {
      exception_type: 'NonRecoverableError',
      message: 'no way',
      known_exception_type: 'NonRecoverableError',
    };
    for (const { message, task } of tasks) {
      await reply(
        message,
        task.id,
        task.id === failing ? { ok: false, error } : { something: 'else' },
      );
    }
    await expect(first).resolves.toEqual({ ok: false, error });
    await expect(second).resolves.toMatchObject({
      ok: false,
      error: { known_exception_type: 'RecoverableError' },
    });
    await dispatcher.stop();
  });

  it('buffers a reply that arrives before anyone waits for it', async () => {
    const dispatcher = new BusOperationDispatcher(bus, `w-${randomUUID()}`);
    await dispatcher.start();
    const id = randomUUID();
    await bus.publish(
      DEFAULT_EXCHANGE,
      dispatcher.replyQueue,
      { ok: true, result: 7 },
      {
        correlationId: id,
        persistent: false,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(dispatcher.send(operation(id), 'e1')).resolves.toEqual({ ok: true, result: 7 });
    // Answered from the buffer: the task was not sent again.
    expect(receivedTasks().some(({ task }) => task.id === id)).toBe(false);
    await dispatcher.stop();
  });

  it("declares a host agent's exchange and sends there; releasing an execution drops its waiters", async () => {
    const dispatcher = new BusOperationDispatcher(bus, `w-${randomUUID()}`);
    await dispatcher.start();
    const agent = `agent_${randomUUID().slice(0, 8)}`;
    const id = randomUUID();
    const view = dispatcher.forExecution('e-agent');
    const pending = view.send(operation(id, agent));
    const agentMessages: IncomingMessage[] = [];
    // The dispatcher declared the agent's exchange and queues: the task waits there.
    await eventually('the agent queue', () =>
      workerBus
        .consume(`${agent}_operation`, async (message) => void agentMessages.push(message))
        .catch(() => undefined),
    );
    await eventually('the agent task', () => (agentMessages.length ? true : undefined));
    expect(agentMessages[0]).toMatchObject({ exchange: agent, correlationId: id });
    view.close();
    await expect(pending).rejects.toBeInstanceOf(ExecutionDispatchClosedError);
    expect(dispatcher.inFlight).toBe(0);
    await dispatcher.stop();
  });

  it('publishes events and logs in batches, in order, with the execution routing key', async () => {
    const executionId = randomUUID();
    const events: IncomingMessage[] = [];
    const logs: IncomingMessage[] = [];
    await workerBus.declare({
      exchanges: [],
      queues: [
        {
          name: `test-events-${executionId}`,
          durable: false,
          autoDelete: true,
          bindings: [
            {
              exchange: EXCHANGES.events,
              routingKey: `events.default_tenant.dep_1.${executionId}`,
            },
          ],
        },
        {
          name: `test-logs-${executionId}`,
          durable: false,
          autoDelete: true,
          bindings: [{ exchange: EXCHANGES.logs, routingKey: '' }],
        },
      ],
    });
    await workerBus.consume(`test-events-${executionId}`, async (m) => void events.push(m));
    await workerBus.consume(`test-logs-${executionId}`, async (m) => void logs.push(m));
    const sink = new BusEventSink(
      bus,
      { tenantName: 'default_tenant', deploymentId: 'dep.1', executionId },
      { flushDelayMs: 20, maxItemsPerMessage: 100 },
    );
    const texts = Array.from({ length: 250 }, (_, i) => `event ${i}`);
    for (const text of texts) sink.publish([event(text, executionId)]);
    sink.publish([
      {
        ...event('a log line', executionId),
        type: 'cloudify_log',
        event_type: undefined,
        logger: 'ctx',
        level: 'info',
      },
    ]);
    await sink.flush();
    await eventually('all events', () =>
      events.reduce((n, m) => n + (m.body as unknown[]).length, 0) === 250 ? true : undefined,
    );
    // 250 events in messages of at most 100 — three or so messages, not 250.
    expect(events.length).toBeLessThanOrEqual(4);
    const delivered = events.flatMap((m) =>
      (m.body as WorkflowEventMessage[]).map((e) => e.message.text),
    );
    expect(delivered).toEqual(texts);
    await eventually('the log', () =>
      logs.some((m) => JSON.stringify(m.body).includes(executionId)) ? true : undefined,
    );
    sink.close();
  });
});
