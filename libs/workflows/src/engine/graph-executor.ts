import type {
  JsonMap,
  JsonValue,
  OperationReply,
  OperationStateChange,
  OperationRequest,
  SerializedError,
  TaskState,
  WorkflowPorts,
} from '../ports';
import {
  ExecutionCancelled,
  failureKind,
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
  retryAfterOf,
  serializeError,
  WorkflowFailed,
} from './errors';
import type { BookkeepingBuffer } from './bookkeeping-buffer';
import type { EventFactory, TaskEventState } from './event-factory';
import { failureSummary } from './failure-summary';
import { HandlerEnv, HandlerRegistry, HandlerResult, HandlerResults } from './handlers';
import { dumpTask } from './task-store';
import type { TaskGraph } from './task-graph';
import {
  BuiltinTask,
  GetNodeInstanceStateTask,
  LocalFunctionTask,
  RemoteOperationTask,
  SendNodeEventTask,
  SendWorkflowEventTask,
  SetNodeInstanceStateTask,
  SubgraphTask,
  Task,
  TERMINAL_STATES,
} from './tasks';

/** What running a graph needs besides the graph: ports, events, handlers and instance access. */
export interface ExecutorEnv {
  ports: WorkflowPorts;
  events: EventFactory;
  handlers: HandlerRegistry;
  dryRun: boolean;
  /** Seconds to keep waiting for in-flight tasks after the first failure. */
  waitAfterFail: number;
  /** Handed to task handlers as `env.workflow`. */
  workflow: unknown;
  /**
   * The request for an operation (target resolved; a promise when it must read the host's
   * agent); throws or rejects with NonRecoverableError when impossible.
   */
  prepareOperation(task: RemoteOperationTask): OperationRequest | Promise<OperationRequest>;
  /**
   * Queues an instance state write and returns at once: the operations of that instance wait for
   * it (prepareOperation), and the graph store stores no task state before the instance writes
   * queued ahead of it — so a stored `succeeded` set-state task implies the stored state.
   */
  queueInstanceState(instanceId: string, state: string): void;
  getInstanceState(instanceId: string): Promise<string>;
  nodeIdOf(instanceId: string): string;
  /** Where events and task states go, batched (shared with the workflow's own publishing). */
  bookkeeping: BookkeepingBuffer;
}

/** A FIFO over an array with a moving head (shift() is O(n)). */
class Queue<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * Runs a task graph: starts every ready task (operations bounded by max_concurrent_tasks),
 * applies handlers as tasks end, retries, fails dependents of failed tasks, and stops on
 * cancel or, after a failure, once nothing is in flight (or wait_after_fail has passed).
 *
 * Bookkeeping tasks (node and workflow events, NOPs) run and end synchronously, and tasks that
 * succeed without handlers are retired synchronously too, so a chain of such tasks after an
 * operation is worked through in the same pass; events and task states of a pass are handed
 * to the ports in batches.
 */
export class GraphExecutor {
  private readonly finished = new Queue<Task>();
  private readonly throttled = new Queue<Task>();
  private readonly errors: Task[] = [];
  private inFlight = 0;
  private delayed = 0;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private deadlinePassed = false;
  private closed = false;
  private wakeup: (() => void) | null = null;
  private pendingWake = false;
  private readonly handlerEnv: HandlerEnv;
  private readonly bookkeeping: BookkeepingBuffer;
  private readonly stored: boolean;
  private readonly maxConcurrent: number;

  constructor(
    private readonly graph: TaskGraph,
    private readonly env: ExecutorEnv,
  ) {
    this.bookkeeping = env.bookkeeping;
    this.stored = graph.id !== null && !env.dryRun;
    const max = env.ports.settings.max_concurrent_tasks;
    this.maxConcurrent = max > 0 ? max : Number.POSITIVE_INFINITY;
    this.handlerEnv = {
      graph,
      workflow: env.workflow,
      failSubgraph: (subgraph, failedTask) => {
        if (!subgraph.failedTask) subgraph.failedTask = failedTask;
        if (!TERMINAL_STATES.has(subgraph.state)) this.endSubgraph(subgraph, 'failed');
      },
    };
  }

  async execute(): Promise<void> {
    const cancellation = this.env.ports.cancellation;
    cancellation.onCancel(() => this.wake());
    try {
      for (;;) {
        if (this.isFinished()) break;
        this.startReady();
        if (this.finished.length === 0 && this.graph.ready.size === 0) {
          if (this.isFinished()) break;
          if (this.isStuck()) throw new Error('Task graph cannot make progress (dependency cycle)');
          this.bookkeeping.flush();
          await this.sleep();
        }
        for (let task = this.finished.shift(); task; task = this.finished.shift()) {
          if (this.retiresQuietly(task)) {
            this.retire(task);
          } else {
            // Handlers may publish or store on their own: what happened before goes out first.
            this.bookkeeping.flush();
            await this.handleTerminated(task);
          }
        }
      }
    } finally {
      this.closed = true;
      for (const timer of this.timers) clearTimeout(timer);
      this.bookkeeping.flush();
    }
    if (this.errors.length > 0) throw new WorkflowFailed(failureSummary(this.errors));
    if (cancellation.cancelRequested) throw new ExecutionCancelled();
  }

  private isFinished(): boolean {
    if (this.env.ports.cancellation.cancelRequested) return true;
    if (this.graph.size === 0) return true;
    if (this.errors.length > 0) {
      if (this.deadlinePassed) return true;
      return this.inFlight === 0 && this.delayed === 0 && this.idle();
    }
    return false;
  }

  private idle(): boolean {
    return this.graph.ready.size === 0 && this.throttled.length === 0 && this.finished.length === 0;
  }

  private isStuck(): boolean {
    return this.inFlight === 0 && this.delayed === 0 && this.idle();
  }

  private wake(): void {
    if (this.wakeup) {
      const resolve = this.wakeup;
      this.wakeup = null;
      resolve();
    } else {
      this.pendingWake = true;
    }
  }

  private sleep(): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.wakeup = resolve));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
      this.wake();
    }, ms);
    this.timers.add(timer);
  }

  /* ------------------------------------------------------------ starting tasks */

  private startReady(): void {
    if (this.env.ports.cancellation.cancelRequested) return;
    while (this.throttled.length > 0 && this.inFlight < this.maxConcurrent) {
      const task = this.throttled.shift() as Task;
      if (this.graph.has(task)) this.start(task);
    }
    const batch = [...this.graph.ready];
    this.graph.ready.clear();
    const now = Date.now();
    for (const task of batch) {
      if (task.dependencyError || !this.graph.has(task)) continue;
      if (task.executeAfter > now) {
        this.delay(task, task.executeAfter - now);
      } else if (this.usesSlot(task) && this.inFlight >= this.maxConcurrent) {
        this.throttled.push(task);
      } else {
        this.start(task);
      }
    }
  }

  private delay(task: Task, ms: number): void {
    this.delayed++;
    this.later(ms, () => {
      this.delayed--;
      if (this.graph.has(task)) this.graph.ready.add(task);
    });
  }

  private usesSlot(task: Task): boolean {
    return task instanceof RemoteOperationTask || task instanceof LocalFunctionTask;
  }

  private start(task: Task): void {
    if (task instanceof SubgraphTask) {
      this.startSubgraph(task);
      return;
    }
    let pending: Promise<unknown> | null;
    try {
      pending = this.run(task);
    } catch (error) {
      this.markFailed(task, serializeError(error), 'nonrecoverable');
      pending = null;
    }
    if (pending === null) {
      this.finished.push(task);
      return;
    }
    this.inFlight++;
    pending.then(
      (value) => {
        // Built-in tasks that wait on a port (state writes and reads) end with its answer.
        if (task instanceof BuiltinTask) this.succeed(task, (value ?? null) as JsonValue, false);
        this.settled(task);
      },
      (error: unknown) => {
        this.markFailed(task, serializeError(error), 'nonrecoverable');
        this.settled(task);
      },
    );
  }

  /** An asynchronous task has ended (or was dropped). */
  private settled(task: Task): void {
    this.inFlight--;
    if (this.closed) this.bookkeeping.flush();
    else if (this.graph.has(task)) this.finished.push(task);
    this.wake();
  }

  private startSubgraph(subgraph: SubgraphTask): void {
    if (subgraph.children.size === 0) {
      this.setState(subgraph, 'succeeded');
      this.taskEvent(subgraph, 'succeeded');
      this.finished.push(subgraph);
      return;
    }
    for (const child of subgraph.children.values()) {
      if (this.graph.has(child)) this.graph.removeDependency(child, subgraph);
    }
    this.setState(subgraph, 'started');
    this.taskEvent(subgraph, 'started');
  }

  private endSubgraph(subgraph: SubgraphTask, state: 'succeeded' | 'failed'): void {
    this.setState(subgraph, state);
    if (state === 'failed') subgraph.error = subgraph.rootFailedTask().error;
    this.taskEvent(subgraph, state, {
      exception: subgraph.error?.message,
      causes: subgraph.error?.known_exception_type_kwargs?.causes ?? null,
    });
    this.finished.push(subgraph);
  }

  /* ------------------------------------------------------------ running one task */

  /**
   * Runs a task: null when it already ended, else a promise of its end (for a built-in task,
   * of its result).
   */
  private run(task: Task): Promise<unknown> | null {
    if (task instanceof RemoteOperationTask) return this.runOperation(task);
    if (task instanceof LocalFunctionTask) {
      if (task.fn) return this.runLocal(task);
    } else if (task instanceof SendNodeEventTask) {
      const { node_instance_id: instanceId, event, additional_context: extra } = task.kwargs;
      const nodeId = this.env.nodeIdOf(instanceId);
      this.bookkeeping.event(this.env.events.nodeEvent(instanceId, nodeId, event, extra));
    } else if (task instanceof SendWorkflowEventTask) {
      const { event, event_type: type, event_args: args, additional_context: extra } = task.kwargs;
      this.bookkeeping.event(this.env.events.workflowEvent(type, event, args, extra));
    } else if (task instanceof SetNodeInstanceStateTask) {
      if (!this.env.dryRun)
        this.env.queueInstanceState(task.kwargs.node_instance_id, task.kwargs.state);
    } else if (task instanceof GetNodeInstanceStateTask) {
      return this.env.getInstanceState(task.kwargs.node_instance_id);
    }
    this.succeed(task, null, false);
    return null;
  }

  private runOperation(task: RemoteOperationTask): Promise<void> | null {
    if (this.env.dryRun) {
      this.succeed(task, null, true);
      return null;
    }
    this.setState(task, 'sending');
    this.taskEvent(task, 'sending');
    let prepared: OperationRequest | Promise<OperationRequest>;
    try {
      prepared = this.env.prepareOperation(task);
    } catch (error) {
      this.markFailed(task, serializeError(error), 'nonrecoverable');
      return null;
    }
    if (!(prepared instanceof Promise)) return this.sendOperation(task, prepared);
    return prepared.then(
      (request) => this.sendOperation(task, request),
      (error: unknown) => this.markFailed(task, serializeError(error), 'nonrecoverable'),
    );
  }

  private sendOperation(task: RemoteOperationTask, request: OperationRequest): Promise<void> {
    this.setState(task, 'sent');
    let replied: Promise<OperationReply>;
    try {
      replied = this.env.ports.dispatcher.send(request);
    } catch (error) {
      replied = Promise.reject(error);
    }
    return replied.then(
      (reply) => this.onReply(task, reply),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.onReply(task, { ok: false, error: serializeError(new RecoverableError(message)) });
      },
    );
  }

  private onReply(task: RemoteOperationTask, reply: OperationReply): void {
    // A late reply after a cancel, or for a task its failed subgraph removed, changes nothing.
    if (this.closed || !this.graph.has(task)) return;
    if (reply.ok) this.succeed(task, reply.result ?? null, true);
    else this.markFailed(task, reply.error, failureKind(reply.error));
  }

  private async runLocal(task: LocalFunctionTask): Promise<void> {
    if (!task.fn) {
      this.succeed(task, null, false);
      return;
    }
    try {
      const result = await task.fn(task.kwargs);
      this.succeed(task, result ?? null, false);
    } catch (error) {
      const kind =
        error instanceof OperationRetry
          ? 'retry'
          : error instanceof NonRecoverableError
            ? 'nonrecoverable'
            : 'recoverable';
      this.markFailed(task, serializeError(error), kind);
    }
  }

  private succeed(task: Task, result: JsonValue, events: boolean): void {
    task.result = result;
    this.setState(task, 'succeeded', { result });
    if (events) this.taskEvent(task, 'succeeded', { result });
  }

  private markFailed(task: Task, error: SerializedError, kind: Task['failure'] & string): void {
    task.error = error;
    task.failure = kind;
    task.retryAfter = retryAfterOf(error);
    const state = kind === 'retry' ? 'rescheduled' : 'failed';
    const causes = (error.known_exception_type_kwargs?.causes ?? null) as JsonValue;
    this.setState(task, state, { exception: error.message, exception_causes: causes });
    this.taskEvent(task, state, { exception: error.message, causes });
  }

  /* ------------------------------------------------------------ after a task ends */

  /** Succeeded without an on_success handler: nothing to decide, so no await. */
  private retiresQuietly(task: Task): boolean {
    return task.state === 'succeeded' && task.onSuccess === null;
  }

  private retire(task: Task): void {
    if (!this.graph.has(task)) return;
    const subgraph = task.containingSubgraph;
    if (subgraph) this.childTerminated(subgraph, task);
    this.graph.removeTask(task);
  }

  private async handleTerminated(task: Task): Promise<void> {
    if (!this.graph.has(task)) return;
    const result = await this.applyHandlers(task);
    const dependencies = task.dependencyLinks.toArray();
    const dependents = task.dependentLinks.toArray();
    this.graph.removeTask(task);
    if (result.action === 'fail') {
      this.recordError(task instanceof SubgraphTask ? task.rootFailedTask() : task);
      for (const dependent of dependents) {
        dependent.dependencyError = true;
        this.graph.ready.delete(dependent);
      }
    } else if (result.action === 'retry' && result.retriedTask) {
      await this.addRetry(result.retriedTask, dependencies, dependents);
    }
  }

  private async addRetry(retry: Task, dependencies: Task[], dependents: Task[]): Promise<void> {
    const added = this.withDescendants(retry).filter((task) => !this.graph.has(task));
    for (const task of added) this.graph.addTask(task);
    for (const dependency of dependencies) {
      if (this.graph.has(dependency)) this.graph.addDependency(retry, dependency);
    }
    for (const dependent of dependents) {
      if (this.graph.has(dependent)) this.graph.addDependency(dependent, retry);
    }
    if (this.stored && this.graph.id) {
      this.bookkeeping.flush();
      const all = this.withDescendants(retry);
      await this.env.ports.graphs.addOperations(this.graph.id, all.map(dumpTask));
    }
  }

  private withDescendants(task: Task): Task[] {
    const all: Task[] = [task];
    for (let i = 0; i < all.length; i++) {
      const at = all[i];
      if (at instanceof SubgraphTask) all.push(...at.children.values());
    }
    return all;
  }

  private recordError(task: Task): void {
    this.errors.push(task);
    if (this.errors.length === 1) {
      this.later(this.env.waitAfterFail * 1000, () => (this.deadlinePassed = true));
    }
  }

  /** The task's own handler, retry limits, then its containing subgraph's bookkeeping. */
  private async applyHandlers(task: Task): Promise<HandlerResult> {
    const failed = task.state === 'failed' || task.state === 'rescheduled';
    const result = failed ? await this.onNotSucceeded(task) : await this.onSucceeded(task);
    if (result.action === 'retry') {
      const allowed =
        task.totalRetries === -1 ||
        task.currentRetries < task.totalRetries ||
        result.ignoreTotalRetries === true;
      if (allowed) {
        if (!result.retriedTask) {
          const retry = task.duplicate();
          const after = result.retryAfter ?? task.retryInterval;
          retry.executeAfter = Date.now() + Math.max(0, after) * 1000;
          result.retriedTask = retry;
        }
      } else {
        if (task.isSubgraph && result.retriedTask) this.graph.removeTask(result.retriedTask);
        result.action = 'fail';
        result.retriedTask = undefined;
      }
    }
    const subgraph = task.containingSubgraph;
    if (subgraph) {
      let retried: Task | undefined;
      if (result.action === 'fail') {
        result.action = 'ignore';
        if (!subgraph.failedTask) subgraph.failedTask = task;
      } else if (result.action === 'retry') {
        retried = result.retriedTask;
      }
      this.childTerminated(subgraph, task, retried);
    }
    return result;
  }

  private async onSucceeded(task: Task): Promise<HandlerResult> {
    if (!task.onSuccess) return HandlerResults.cont();
    return this.env.handlers.call(task.onSuccess, task, this.handlerEnv);
  }

  private async onNotSucceeded(task: Task): Promise<HandlerResult> {
    // An explicit retry request ignores on_failure handlers.
    if (task.failure === 'retry') return HandlerResults.retry({ retryAfter: task.retryAfter });
    if (task.onFailure) return this.env.handlers.call(task.onFailure, task, this.handlerEnv);
    if (task.isSubgraph || task.failure === 'nonrecoverable') return HandlerResults.fail();
    return HandlerResults.retry({ retryAfter: task.retryAfter });
  }

  private childTerminated(subgraph: SubgraphTask, child: Task, retry?: Task): void {
    subgraph.children.delete(child.id);
    if (retry) {
      subgraph.children.set(retry.id, retry);
      retry.containingSubgraph = subgraph;
    }
    if (TERMINAL_STATES.has(subgraph.state) || !this.graph.has(subgraph)) return;
    if (subgraph.failedTask) this.endSubgraph(subgraph, 'failed');
    else if (subgraph.children.size === 0) this.endSubgraph(subgraph, 'succeeded');
  }

  /* ------------------------------------------------------------ state and events */

  private setState(
    task: Task,
    state: TaskState,
    extra?: { result?: JsonValue; exception?: string; exception_causes?: JsonValue },
  ): void {
    task.state = state;
    if (!this.stored) return;
    const remote = task instanceof RemoteOperationTask;
    if (!remote && (state === 'sent' || state === 'started') && !(task instanceof SubgraphTask)) {
      return;
    }
    const change: OperationStateChange = { id: task.id, state };
    if (extra) {
      if ('result' in extra) change.result = extra.result;
      if ('exception' in extra) change.exception = extra.exception;
      if ('exception_causes' in extra) change.exception_causes = extra.exception_causes;
    }
    // Counted or not is the store's call (every non-NOP task, local ones too: workflows.md §9),
    // so that finished_operations ends equal to total_operations.
    this.bookkeeping.state(change);
  }

  private taskEvent(
    task: Task,
    state: TaskEventState,
    detail?: { result?: JsonValue; exception?: string; causes?: JsonValue },
  ): void {
    const event = this.env.events.taskEvent(task, state, detail);
    if (event) this.bookkeeping.event(event);
  }
}

export type { JsonMap };
