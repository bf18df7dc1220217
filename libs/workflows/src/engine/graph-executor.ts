import type {
  JsonMap,
  JsonValue,
  OperationReply,
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
import type { EventFactory, TaskEventState } from './event-factory';
import { failureSummary } from './failure-summary';
import { HandlerEnv, HandlerRegistry, HandlerResult, HandlerResults } from './handlers';
import { dumpTask } from './task-store';
import type { TaskGraph } from './task-graph';
import {
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
  /** The request for an operation (target resolved); throws NonRecoverableError when impossible. */
  prepareOperation(task: RemoteOperationTask): Promise<OperationRequest>;
  setInstanceState(instanceId: string, state: string): Promise<void>;
  getInstanceState(instanceId: string): Promise<string>;
  nodeIdOf(instanceId: string): string;
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

  constructor(
    private readonly graph: TaskGraph,
    private readonly env: ExecutorEnv,
  ) {
    this.handlerEnv = {
      graph,
      workflow: env.workflow,
      failSubgraph: (subgraph, failedTask) => {
        if (!subgraph.failedTask) subgraph.failedTask = failedTask;
        if (!TERMINAL_STATES.has(subgraph.state)) this.endSubgraph(subgraph, 'failed');
      },
    };
  }

  private get stored(): boolean {
    return this.graph.id !== null && !this.env.dryRun;
  }

  private get maxConcurrent(): number {
    const max = this.env.ports.settings.max_concurrent_tasks;
    return max > 0 ? max : Number.POSITIVE_INFINITY;
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
          await this.sleep();
        }
        for (let task = this.finished.shift(); task; task = this.finished.shift()) {
          await this.handleTerminated(task);
        }
      }
    } finally {
      this.closed = true;
      for (const timer of this.timers) clearTimeout(timer);
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
    this.inFlight++;
    this.run(task)
      .catch((error: unknown) => this.markFailed(task, serializeError(error), 'nonrecoverable'))
      .then(() => {
        this.inFlight--;
        if (!this.closed && this.graph.has(task)) this.finished.push(task);
        this.wake();
      });
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

  private async run(task: Task): Promise<void> {
    if (task instanceof RemoteOperationTask) return this.runOperation(task);
    if (task instanceof LocalFunctionTask) return this.runLocal(task);
    let result: JsonValue = null;
    if (task instanceof SetNodeInstanceStateTask) {
      if (!this.env.dryRun) {
        await this.env.setInstanceState(task.kwargs.node_instance_id, task.kwargs.state);
      }
    } else if (task instanceof GetNodeInstanceStateTask) {
      result = await this.env.getInstanceState(task.kwargs.node_instance_id);
    } else if (task instanceof SendNodeEventTask) {
      const { node_instance_id: instanceId, event, additional_context: extra } = task.kwargs;
      const nodeId = this.env.nodeIdOf(instanceId);
      this.publish(this.env.events.nodeEvent(instanceId, nodeId, event, extra));
    } else if (task instanceof SendWorkflowEventTask) {
      const { event, event_type: type, event_args: args, additional_context: extra } = task.kwargs;
      this.publish(this.env.events.workflowEvent(type, event, args, extra));
    }
    this.succeed(task, result, false);
  }

  private async runOperation(task: RemoteOperationTask): Promise<void> {
    if (this.env.dryRun) {
      this.succeed(task, null, true);
      return;
    }
    this.setState(task, 'sending');
    this.taskEvent(task, 'sending');
    let request: OperationRequest;
    try {
      request = await this.env.prepareOperation(task);
    } catch (error) {
      this.markFailed(task, serializeError(error), 'nonrecoverable');
      return;
    }
    this.setState(task, 'sent');
    let reply: OperationReply;
    try {
      reply = await this.env.ports.dispatcher.send(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = { ok: false, error: serializeError(new RecoverableError(message)) };
    }
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

  private async handleTerminated(task: Task): Promise<void> {
    if (!this.graph.has(task)) return;
    const result = await this.applyHandlers(task);
    const dependencies = [...task.dependencies];
    const dependents = [...task.dependents];
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
    extra: { result?: JsonValue; exception?: string; exception_causes?: JsonValue } = {},
  ): void {
    task.state = state;
    if (!this.stored) return;
    const local = !(task instanceof RemoteOperationTask) && !(task instanceof SubgraphTask);
    if (local && (state === 'sent' || state === 'started')) return;
    this.env.ports.graphs.recordStates([
      { id: task.id, state, ...extra, counted: task instanceof RemoteOperationTask },
    ]);
  }

  private taskEvent(
    task: Task,
    state: TaskEventState,
    detail: { result?: JsonValue; exception?: string; causes?: JsonValue } = {},
  ): void {
    const event = this.env.events.taskEvent(task, state, detail);
    if (event) this.publish(event);
  }

  private publish(event: ReturnType<EventFactory['event']>): void {
    this.env.ports.events.publish([event]);
  }
}

export type { JsonMap };
