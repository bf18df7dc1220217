import { randomUUID } from 'node:crypto';
import { LoggerLike, SILENT_LOGGER } from '@nestify/common';
import {
  agentTopology,
  Consumer,
  DEFAULT_EXCHANGE,
  EXCHANGES,
  IncomingMessage,
  MessageBus,
  QUEUES,
  QueueSpec,
  RejectMessageError,
  RetryMessageError,
  ROUTING_KEYS,
} from '@nestify/messaging';
import type { ManagerClient } from '../context/manager-client';
import { RestManagerClient } from '../context/rest-manager-client';
import { OperationCancelled, type RunOutcome, runOperation } from './operation-runner';
import { PluginRegistry } from './plugin-registry';
import { RunSlots } from './run-slots';
import { parseServiceTask } from './service-task';
import { InvalidTaskError, OperationTask, parseOperationTask } from './task-message';

export interface OperationWorkerOptions {
  bus: MessageBus;
  /** `cloudify.management_operation` (central deployment agent) or `<agent name>_operation`. */
  queue: string;
  plugins: PluginRegistry;
  /** Operations run at once. Default 20. */
  concurrency?: number;
  /**
   * Base URL of the REST service (`http://host:port`). Without it, the task's own `rest_host` and
   * `rest_port` are used.
   */
  restUrl?: string;
  /** How the ctx talks to the manager; default: the REST API with the task's execution token. */
  clientFor?: (task: OperationTask) => ManagerClient;
  logger?: LoggerLike;
}

interface Running {
  executionId: string;
  controller: AbortController;
}

const AGENT_QUEUE_SUFFIX = '_operation';
const DEFAULT_CONCURRENCY = 20;
/**
 * Deliveries allowed per run slot. A finished operation keeps its message unacknowledged until
 * its reply is confirmed (a broker round trip); with prefetch = concurrency that wait would hold
 * a run slot and idle the worker, so the prefetch leaves room for as many replies in flight.
 */
const PREFETCH_PER_SLOT = 2;
/** Replies kept for tasks delivered again after they finished (bounded; oldest dropped first). */
const REMEMBERED_REPLIES = 10_000;

/**
 * Consumes operation tasks from one queue and runs them (workflows.md §7): at most `concurrency`
 * at once, replying `{ok, result}` / `{ok: false, error}` to the task's `reply_to` with its
 * correlation id, and acknowledging only after the reply is confirmed. It also answers the
 * service requests of its exchange: `ping`, and `cancel-operation`, which stops every running
 * operation of an execution without a reply.
 */
export class OperationWorker {
  private readonly running = new Map<string, Running>();
  /**
   * A task id names one attempt of one operation (a retry gets a new id), so a second delivery of
   * the same id — the broker redelivering a dead worker's unacknowledged task while a resumed
   * workflow sends it again — must not run it twice: it gets the first run's reply.
   */
  private readonly attempts = new Map<string, Promise<RunOutcome>>();
  private readonly replies = new Map<string, unknown>();
  private readonly consumers: Consumer[] = [];
  private readonly logger: LoggerLike;
  private readonly processId = randomUUID();
  private readonly slots: RunSlots;
  private stopping = false;

  constructor(private readonly options: OperationWorkerOptions) {
    this.logger = options.logger ?? SILENT_LOGGER;
    this.slots = new RunSlots(options.concurrency ?? DEFAULT_CONCURRENCY);
  }

  /** Operations in progress. */
  get activeCount(): number {
    return this.running.size;
  }

  async start(): Promise<void> {
    const { bus, queue } = this.options;
    const serviceQueue = await this.declareQueues();
    this.consumers.push(
      await bus.consume(queue, (message) => this.onOperation(message), {
        prefetch: this.slots.size * PREFETCH_PER_SLOT,
      }),
      await bus.consume(serviceQueue, (message) => this.onService(message), { prefetch: 10 }),
    );
  }

  /** Stops consuming; operations in progress are cancelled (their messages are redelivered). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const consumer of this.consumers.splice(0)) await consumer.cancel();
    for (const run of this.running.values()) run.controller.abort(new OperationCancelled());
  }

  /** Aborts the running operations of an execution; returns how many. */
  cancelExecution(executionId: string): number {
    let count = 0;
    for (const run of this.running.values()) {
      if (run.executionId !== executionId) continue;
      run.controller.abort(new OperationCancelled());
      count += 1;
    }
    return count;
  }

  /**
   * A message carries one task, or a list of ready tasks (messaging.md §1); each task gets its
   * own reply (correlation id = task id), and the message is acknowledged once all are answered.
   */
  private async onOperation(message: IncomingMessage): Promise<void> {
    const body = message.body;
    if (!Array.isArray(body)) return this.onTask(message, body, false);
    await Promise.all(body.map((task: unknown) => this.onTask(message, task, true)));
  }

  private async onTask(message: IncomingMessage, body: unknown, inBatch: boolean): Promise<void> {
    let task: OperationTask;
    try {
      task = parseOperationTask(body);
    } catch (error) {
      if (!(error instanceof InvalidTaskError)) throw error;
      if (!inBatch) throw new RejectMessageError('invalid_operation_task', error.message);
      // The rest of the batch runs; this task is answered, if it has an id to answer.
      await this.rejectTask(message, body, error);
      return;
    }
    if (this.replies.has(task.id)) {
      await this.reply(message, task.id, this.replies.get(task.id));
      return;
    }
    if (
      message.redelivered &&
      !this.attempts.has(task.id) &&
      (await this.storedAsSucceeded(task))
    ) {
      this.logger.log(`task ${task.id} redelivered but already stored as succeeded; not run again`);
      await this.reply(message, task.id, { ok: true, result: null });
      return;
    }
    const outcome = await (this.attempts.get(task.id) ?? this.run(task));
    if ('dropped' in outcome) {
      if (this.stopping) throw new RetryMessageError('the worker stopped', 0);
      this.logger.log(`task ${task.id} stopped: its execution was cancelled`);
      return;
    }
    await this.reply(message, task.id, outcome.reply);
  }

  /** Runs one attempt, shared by every delivery of its task id, and remembers its reply. */
  private async run(task: OperationTask): Promise<RunOutcome> {
    const controller = new AbortController();
    const key = `${task.id}:${randomUUID()}`;
    // Tracked while it waits for a slot too, so that cancel-operation reaches it.
    this.running.set(key, { executionId: task.context.execution_id, controller });
    const attempt = this.runInSlot(task, controller);
    this.attempts.set(task.id, attempt);
    try {
      const outcome = await attempt;
      if (!('dropped' in outcome)) this.remember(task.id, outcome.reply);
      return outcome;
    } finally {
      this.attempts.delete(task.id);
      this.running.delete(key);
    }
  }

  /**
   * A redelivered task may have run on a worker that died before acknowledging it, after the
   * workflow stored its success: asking the manager keeps it from running twice. When the
   * manager cannot tell, it runs (delivery is at least once).
   */
  private async storedAsSucceeded(task: OperationTask): Promise<boolean> {
    try {
      return (await this.clientFor(task).getOperationState?.(task.id)) === 'succeeded';
    } catch (error) {
      this.logger.warn(
        `task ${task.id}: stored state unknown (${(error as Error).message}); running it`,
      );
      return false;
    }
  }

  private remember(taskId: string, reply: unknown): void {
    if (this.replies.size >= REMEMBERED_REPLIES) {
      const oldest = this.replies.keys().next().value;
      if (oldest !== undefined) this.replies.delete(oldest);
    }
    this.replies.set(taskId, reply);
  }

  private async runInSlot(task: OperationTask, controller: AbortController): Promise<RunOutcome> {
    await this.slots.acquire();
    try {
      if (this.stopping || controller.signal.aborted) return { dropped: true };
      return await runOperation(task, controller, {
        bus: this.options.bus,
        plugins: this.options.plugins,
        clientFor: (t) => this.clientFor(t),
        logger: this.logger,
      });
    } finally {
      this.slots.release();
    }
  }

  private async rejectTask(message: IncomingMessage, body: unknown, error: Error): Promise<void> {
    const id = (body as { id?: unknown } | null)?.id;
    this.logger.warn(`invalid operation task ${String(id)} in a batch: ${error.message}`);
    if (typeof id !== 'string') return;
    const failure = { exception_type: 'NonRecoverableError', message: error.message };
    await this.reply(message, id, {
      ok: false,
      error: { ...failure, known_exception_type: 'NonRecoverableError' },
    });
  }

  private async onService(message: IncomingMessage): Promise<void> {
    const service = parseServiceTask(message.body);
    if (!service) throw new RejectMessageError('invalid_service_task');
    if (service.kind === 'ping') {
      await this.reply(message, message.correlationId, { time: Date.now() / 1000 });
    } else if (service.kind === 'cancel-operation') {
      const count = this.cancelExecution(service.executionId);
      this.logger.log(`cancel-operation ${service.executionId}: stopped ${count} operation(s)`);
    } else {
      this.logger.warn(`service task ${service.taskName} is not supported by this worker`);
    }
  }

  private async reply(message: IncomingMessage, correlationId: string | undefined, body: unknown) {
    if (!message.replyTo) {
      this.logger.warn(`message on ${message.queue} has no reply_to; the answer is dropped`);
      return;
    }
    await this.options.bus.publish(DEFAULT_EXCHANGE, message.replyTo, body, {
      correlationId: message.correlationId ?? correlationId,
      persistent: false,
    });
  }

  private clientFor(task: OperationTask): ManagerClient {
    if (this.options.clientFor) return this.options.clientFor(task);
    return new RestManagerClient({
      baseUrl: this.options.restUrl ?? restUrlOf(task),
      executionToken: task.context.execution_token ?? null,
      tenant: task.context.tenant.name,
    });
  }

  /**
   * Declares what the worker consumes and returns its service queue. A host agent has its own
   * exchange with `<agent>_operation` and `<agent>_service`; the central deployment agent's
   * processes each bind a private queue to `cloudify.management`/`service`, because a
   * cancel-operation must reach whichever process runs the operation.
   */
  private async declareQueues(): Promise<string> {
    const { bus, queue } = this.options;
    if (queue === QUEUES.operations) {
      const service: QueueSpec = {
        name: `nestify.agent-service.${this.processId}`,
        durable: false,
        exclusive: true,
        autoDelete: true,
        bindings: [{ exchange: EXCHANGES.management, routingKey: ROUTING_KEYS.service }],
      };
      await bus.declare({ exchanges: [], queues: [service] });
      return service.name;
    }
    if (!queue.endsWith(AGENT_QUEUE_SUFFIX) || queue.length === AGENT_QUEUE_SUFFIX.length) {
      throw new Error(`expected ${QUEUES.operations} or <agent name>_operation, not ${queue}`);
    }
    const agent = queue.slice(0, -AGENT_QUEUE_SUFFIX.length);
    await bus.declare(agentTopology(agent));
    return `${agent}_service`;
  }
}

function restUrlOf(task: OperationTask): string {
  const hosts = task.context.rest_host;
  const host = Array.isArray(hosts) ? hosts[0] : hosts;
  if (!host) throw new Error(`task ${task.id} names no rest_host and the worker has no REST URL`);
  const port = task.context.rest_port ?? 80;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
