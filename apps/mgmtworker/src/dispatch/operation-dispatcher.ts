import { EXCHANGES, ROUTING_KEYS, agentTopology, replyQueue } from '@nestify/messaging';
import type { AgentPinger, Consumer, IncomingMessage, MessageBus } from '@nestify/messaging';
import type {
  OperationDispatcher,
  OperationReply,
  OperationRequest,
  SerializedError,
} from '@nestify/workflows';

export interface DispatcherOptions {
  /** Publish operation tasks persistent (survive a broker restart); replies are always transient. */
  persistentTasks?: boolean;
  /** Replies kept for tasks nobody waits for yet, at most this many (oldest dropped first). */
  maxBufferedReplies?: number;
  /**
   * Pings a host agent before its first task (workflows.md §7); without it tasks are sent
   * unchecked. An agent that answered is not pinged again for `agentAliveMs`.
   */
  agentPinger?: Pick<AgentPinger, 'ping'>;
  /** How long to wait for a ping's answer (default 30 s, as Cloudify). */
  agentPingTimeoutMs?: number;
  agentAliveMs?: number;
  /**
   * Bytes of JSON one message of several tasks may carry (default 256 KiB); keep it well under
   * the consumers' MESSAGE_MAX_BYTES. A larger task goes alone.
   */
  maxBatchBytes?: number;
}

/**
 * Ready tasks for one target sent as one message, at most this many (messaging.md §1): a
 * persistent message costs the broker a disk write, and each costs both ends a delivery.
 */
const MAX_TASKS_PER_MESSAGE = 100;

/** A host agent did not answer its ping: the task is not sent (a recoverable failure). */
export class AgentUnreachableError extends Error {
  constructor(agentName: string) {
    super(`Timed out waiting for agent: ${agentName}`);
  }
}

interface Waiter {
  resolve: (reply: OperationReply) => void;
  reject: (error: Error) => void;
  executionId: string;
}

/** Ended executions' late replies are dropped, not buffered (workflows.md §1: ignored). */
export class ExecutionDispatchClosedError extends Error {}

/**
 * Sends operation tasks over the message bus and hands back their replies. One reply queue per
 * worker process (`nestify.replies.<worker id>`, messaging.md §2); a task goes to the exchange of
 * its executor with routing key `operation`, `replyTo` = that queue and `correlationId` = the task
 * id, and its reply is matched by that id. A reply that arrives before anyone waits is buffered.
 * Executions get their own view (`forExecution`) so that ending one forgets its waiters.
 */
export class BusOperationDispatcher {
  private readonly waiters = new Map<string, Waiter>();
  private readonly buffered = new Map<string, OperationReply>();
  private readonly declaredTargets = new Set<string>([EXCHANGES.management]);
  /** Host agents that answered a ping, until when they count as alive. */
  private readonly aliveUntil = new Map<string, number>();
  private readonly pings = new Map<string, Promise<void>>();
  private consumer: Consumer | undefined;
  private readonly queueSpec: ReturnType<typeof replyQueue>;
  /** Tasks waiting to go out, by target, until the current turn of the event loop ends. */
  private readonly outgoing = new Map<
    string,
    { tasks: OperationRequest['message'][]; bytes: number }
  >();
  private sendScheduled = false;

  constructor(
    private readonly bus: MessageBus,
    workerId: string,
    private readonly options: DispatcherOptions = {},
  ) {
    this.queueSpec = replyQueue(workerId);
  }

  get replyQueue(): string {
    return this.queueSpec.name;
  }

  async start(): Promise<void> {
    await this.bus.declare({ exchanges: [], queues: [this.queueSpec] });
    this.consumer = await this.bus.consume(this.replyQueue, (message) => this.onReply(message), {
      prefetch: 1000,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.cancel();
    this.consumer = undefined;
    for (const [id, waiter] of this.waiters) {
      waiter.reject(new ExecutionDispatchClosedError('the dispatcher stopped'));
      this.waiters.delete(id);
    }
  }

  /** Number of tasks sent and not answered yet. */
  get inFlight(): number {
    return this.waiters.size;
  }

  forExecution(executionId: string): ExecutionDispatcher {
    return new ExecutionDispatcher(this, executionId);
  }

  async send(request: OperationRequest, executionId: string): Promise<OperationReply> {
    const id = request.message.id;
    const early = this.buffered.get(id);
    if (early) {
      this.buffered.delete(id);
      return early;
    }
    if (request.hostAgent) await this.ensureAlive(request.target);
    const reply = new Promise<OperationReply>((resolve, reject) => {
      this.waiters.set(id, { resolve, reject, executionId });
    });
    try {
      await this.ensureTarget(request.target);
    } catch (error) {
      this.waiters.delete(id);
      throw error;
    }
    this.enqueue(request.target, request.message);
    return reply;
  }

  /** The tasks sent in one turn of the event loop go out together, per target. */
  private enqueue(target: string, message: OperationRequest['message']): void {
    const bytes = JSON.stringify(message).length;
    let batch = this.outgoing.get(target);
    if (batch && batch.bytes + bytes > (this.options.maxBatchBytes ?? 256 * 1024)) {
      this.publishTasks(target, batch.tasks);
      batch = undefined;
    }
    batch ??= { tasks: [], bytes: 0 };
    batch.tasks.push(message);
    batch.bytes += bytes;
    this.outgoing.set(target, batch);
    if (batch.tasks.length >= MAX_TASKS_PER_MESSAGE) {
      this.outgoing.delete(target);
      this.publishTasks(target, batch.tasks);
    } else if (!this.sendScheduled) {
      this.sendScheduled = true;
      setImmediate(() => {
        this.sendScheduled = false;
        for (const [queued, { tasks }] of this.outgoing) this.publishTasks(queued, tasks);
        this.outgoing.clear();
      });
    }
  }

  /**
   * One message: a task alone keeps its id as message and correlation id, several are a list
   * (each reply still names its task). Not awaited: a persistent task's confirm waits for the
   * broker's disk write, and a reply already proves the task was routed. A publish that fails
   * still fails the sends.
   */
  private publishTasks(target: string, tasks: OperationRequest['message'][]): void {
    const single = tasks.length === 1 ? tasks[0] : undefined;
    this.bus
      .publish(target, ROUTING_KEYS.operation, single ?? tasks, {
        persistent: this.options.persistentTasks ?? true,
        replyTo: this.replyQueue,
        ...(single ? { correlationId: single.id, messageId: single.id } : {}),
      })
      .catch((error: unknown) => tasks.forEach((task) => this.failWaiter(task.id, error)));
  }

  /** Rejects the task's send if nobody answered it yet. */
  private failWaiter(id: string, error: unknown): void {
    const waiter = this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id);
    waiter.reject(error instanceof Error ? error : new Error(String(error)));
  }

  /** Forgets the waiters of an ended execution; their replies, if any, are dropped. */
  release(executionId: string): void {
    for (const [id, waiter] of this.waiters) {
      if (waiter.executionId !== executionId) continue;
      this.waiters.delete(id);
      waiter.reject(new ExecutionDispatchClosedError(`execution ${executionId} ended`));
    }
  }

  /** Pings the agent unless it answered lately; concurrent sends share one ping. */
  private ensureAlive(agent: string): Promise<void> {
    const pinger = this.options.agentPinger;
    if (!pinger || (this.aliveUntil.get(agent) ?? 0) > Date.now()) return Promise.resolve();
    let ping = this.pings.get(agent);
    if (!ping) {
      ping = pinger
        .ping(agent, this.options.agentPingTimeoutMs ?? 30_000)
        .then((alive) => {
          if (!alive) throw new AgentUnreachableError(agent);
          this.aliveUntil.set(agent, Date.now() + (this.options.agentAliveMs ?? 30_000));
        })
        .finally(() => this.pings.delete(agent));
      this.pings.set(agent, ping);
    }
    return ping;
  }

  /** Host agents own their exchange; declaring it (idempotent) keeps a publish from failing. */
  private async ensureTarget(target: string): Promise<void> {
    if (this.declaredTargets.has(target)) return;
    await this.bus.declare(agentTopology(target));
    this.declaredTargets.add(target);
  }

  private async onReply(message: IncomingMessage): Promise<void> {
    const id = message.correlationId;
    if (!id) return;
    const reply = toReply(message.body);
    const waiter = this.waiters.get(id);
    if (waiter) {
      this.waiters.delete(id);
      waiter.resolve(reply);
      return;
    }
    this.buffered.set(id, reply);
    const max = this.options.maxBufferedReplies ?? 10000;
    if (this.buffered.size > max) {
      const oldest = this.buffered.keys().next().value;
      if (oldest !== undefined) this.buffered.delete(oldest);
    }
  }
}

/** The OperationDispatcher port for one execution. */
export class ExecutionDispatcher implements OperationDispatcher {
  constructor(
    private readonly dispatcher: BusOperationDispatcher,
    private readonly executionId: string,
  ) {}

  send(request: OperationRequest): Promise<OperationReply> {
    return this.dispatcher.send(request, this.executionId);
  }

  close(): void {
    this.dispatcher.release(this.executionId);
  }
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** A reply body as the engine reads it; anything malformed is a recoverable error (§3.3). */
export function toReply(body: unknown): OperationReply {
  const reply = asObject(body);
  if (reply?.ok === true) return { ok: true, result: (reply.result ?? null) as never };
  const error = asObject(reply?.error);
  if (reply?.ok === false && error && typeof error.message === 'string') {
    return {
      ok: false,
      error: {
        ...error,
        exception_type: typeof error.exception_type === 'string' ? error.exception_type : 'Error',
        message: error.message,
      } as SerializedError,
    };
  }
  return {
    ok: false,
    error: {
      exception_type: 'RecoverableError',
      known_exception_type: 'RecoverableError',
      message: 'Malformed operation reply',
    },
  };
}
