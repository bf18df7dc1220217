import type { JsonMap, JsonValue, SerializedError, TaskState } from '../ports';
import type { FailureKind } from './errors';
import { newTaskId } from './task-id';
import { TaskLinks, TaskLinksView } from './task-links';

/** A named, serialisable handler: `{ path: '<registry id>', ...args }` (survives a resume). */
export type HandlerRef = { path: string } & JsonMap;

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set([
  'succeeded',
  'failed',
  'rescheduled',
]);

export interface RetryConfig {
  totalRetries: number;
  retryInterval: number;
}

/**
 * One node of a task graph. Dependencies are kept on the tasks themselves (the tasks still in
 * the graph that this one waits for, and those waiting for it), so the graph never scans its
 * whole task list. Only the graph changes them.
 *
 * Fields are declared and assigned in the constructor rather than initialised as class fields:
 * with several subclasses, class-field initialisers go megamorphic in V8 and made creating a
 * task an order of magnitude slower.
 */
export abstract class Task {
  /** The id, made when first read: NOPs dropped while a graph is built never need one. */
  declare private assignedId: string | null;
  abstract readonly type: string;
  declare state: TaskState;
  declare currentRetries: number;
  declare totalRetries: number;
  declare retryInterval: number;
  declare sendTaskEvents: boolean;
  declare info: JsonMap;
  declare error: SerializedError | null;
  declare containingSubgraph: SubgraphTask | null;
  declare onSuccess: HandlerRef | null;
  declare onFailure: HandlerRef | null;
  declare retriedTask: string | null;
  /** Epoch ms before which a retry is not sent; memory only, never persisted. */
  declare executeAfter: number;
  declare result: JsonValue;
  declare failure: FailureKind | null;
  declare retryAfter: number | null;

  /** Tasks in the graph this one waits for, and those waiting for it (changed by TaskGraph). */
  declare readonly dependencyLinks: TaskLinks<Task>;
  declare readonly dependentLinks: TaskLinks<Task>;
  /** A dependency failed: the task must not run even once its other dependencies are done. */
  declare dependencyError: boolean;
  /** The graph holding this task (membership test without a map lookup). */
  declare owner: object | null;
  /** This task's slot in its graph's task list. */
  declare graphIndex: number;

  protected constructor(retry: RetryConfig, id?: string) {
    this.assignedId = id ?? null;
    this.state = 'pending';
    this.currentRetries = 0;
    this.totalRetries = retry.totalRetries;
    this.retryInterval = retry.retryInterval;
    this.sendTaskEvents = true;
    this.info = {};
    this.error = null;
    this.containingSubgraph = null;
    this.onSuccess = null;
    this.onFailure = null;
    this.retriedTask = null;
    this.executeAfter = 0;
    this.result = null;
    this.failure = null;
    this.retryAfter = null;
    this.dependencyLinks = new TaskLinks<Task>();
    this.dependentLinks = new TaskLinks<Task>();
    this.dependencyError = false;
    this.owner = null;
    this.graphIndex = -1;
  }

  get id(): string {
    if (this.assignedId === null) this.assignedId = newTaskId();
    return this.assignedId;
  }

  /** The tasks this one waits for (read-only; change them through the graph). */
  get dependencies(): TaskLinksView<Task> {
    return this.dependencyLinks;
  }

  /** The tasks waiting for this one (read-only; change them through the graph). */
  get dependents(): TaskLinksView<Task> {
    return this.dependentLinks;
  }

  abstract get name(): string;
  /** The kwargs stored in `parameters.task_kwargs`. */
  abstract get taskKwargs(): JsonMap;

  get isSubgraph(): boolean {
    return false;
  }

  /** Tasks that do nothing are dropped from graphs before they run. */
  isNop(): boolean {
    return false;
  }

  /** Human-readable name used in failure summaries. */
  get shortDescription(): string {
    return this.name;
  }

  /** A new task (new id) that runs this one again; subclasses that can be retried override. */
  duplicate(): Task {
    throw new Error(`${this.type} cannot be retried by duplication`);
  }

  protected copyRetryFields(from: Task): void {
    this.info = { ...from.info };
    this.sendTaskEvents = from.sendTaskEvents;
    this.onSuccess = from.onSuccess;
    this.onFailure = from.onFailure;
  }
}

/** The operation's `__cloudify_context` as the engine reads it. */
export interface OperationContextData extends JsonMap {
  task_id: string;
  task_name: string;
  node_id: string;
  node_name: string;
  executor: string | null;
  operation: { name: string; retry_number: number; max_retries: number } & JsonMap;
}

/** An operation sent to a worker (mgmtworker or a host agent). */
export class RemoteOperationTask extends Task {
  readonly type = 'RemoteWorkflowTask';
  /** Operation inputs merged with the caller's kwargs, plus `__cloudify_context`. */
  declare readonly kwargs: JsonMap & { __cloudify_context: OperationContextData };

  constructor(
    kwargs: JsonMap & { __cloudify_context: OperationContextData },
    retry: RetryConfig,
    id?: string,
  ) {
    super(retry, id ?? kwargs.__cloudify_context.task_id);
    this.kwargs = kwargs;
    this.kwargs.__cloudify_context.task_id = this.id;
  }

  get cloudifyContext(): OperationContextData {
    return this.kwargs.__cloudify_context;
  }

  get name(): string {
    return this.cloudifyContext.task_name;
  }

  get operationName(): string {
    return this.cloudifyContext.operation.name;
  }

  override get shortDescription(): string {
    return `${this.name} (${this.cloudifyContext.node_id}:${this.operationName})`;
  }

  get taskKwargs(): JsonMap {
    const context: JsonMap = { ...this.cloudifyContext };
    // `delete` turns the copy into a slow dictionary object: only when there is a token to drop.
    if ('execution_token' in context) delete context.execution_token;
    if ('rest_token' in context) delete context.rest_token;
    const kwargs: JsonMap = { ...this.kwargs };
    kwargs.__cloudify_context = context;
    return { kwargs };
  }

  override duplicate(): RemoteOperationTask {
    const kwargs = structuredClone(this.kwargs);
    const copy = new RemoteOperationTask(kwargs, this, newTaskId());
    copy.copyRetryFields(this);
    copy.currentRetries = this.currentRetries + 1;
    copy.cloudifyContext.operation.retry_number = copy.currentRetries;
    copy.retriedTask = this.id;
    return copy;
  }
}

const NO_RETRIES: RetryConfig = { totalRetries: 0, retryInterval: 0 };

/** Built-in tasks run by the engine itself; they are never retried. */
export abstract class BuiltinTask<K extends JsonMap> extends Task {
  declare readonly kwargs: K;

  constructor(kwargs: K, id?: string) {
    super(NO_RETRIES, id);
    this.kwargs = kwargs;
  }

  get taskKwargs(): JsonMap {
    return this.kwargs;
  }
}

export class SetNodeInstanceStateTask extends BuiltinTask<{
  node_instance_id: string;
  state: string;
}> {
  readonly type = 'SetNodeInstanceStateTask';
  get name(): string {
    return 'set_state';
  }
}

export class GetNodeInstanceStateTask extends BuiltinTask<{ node_instance_id: string }> {
  readonly type = 'GetNodeInstanceStateTask';
  get name(): string {
    return 'get_state';
  }
}

export class SendNodeEventTask extends BuiltinTask<{
  node_instance_id: string;
  event: string;
  additional_context: JsonMap | null;
}> {
  readonly type = 'SendNodeEventTask';
  get name(): string {
    return 'send_event';
  }
}

export class SendWorkflowEventTask extends BuiltinTask<{
  event: string;
  event_type: string;
  event_args: JsonValue;
  additional_context: JsonMap | null;
}> {
  readonly type = 'SendWorkflowEventTask';
  get name(): string {
    return 'send_workflow_event';
  }
}

/** Placeholder for an unmapped operation; dropped by graph optimisation unless it has handlers. */
export class NopTask extends BuiltinTask<JsonMap> {
  readonly type = 'NOPLocalWorkflowTask';
  constructor(id?: string) {
    super({}, id);
  }
  get name(): string {
    return 'NOP';
  }
  override isNop(): boolean {
    return this.onSuccess === null && this.onFailure === null;
  }
}

export type LocalFunction = (kwargs: JsonMap) => JsonValue | void | Promise<JsonValue | void>;

/** A function run inside the workflow process. Not persisted: restored as a no-op on resume. */
export class LocalFunctionTask extends Task {
  readonly type = 'LocalWorkflowTask';
  constructor(
    readonly fn: LocalFunction | null,
    private readonly taskName: string,
    readonly kwargs: JsonMap,
    retry: RetryConfig,
    id?: string,
  ) {
    super(retry, id);
  }
  get name(): string {
    return this.taskName;
  }
  get taskKwargs(): JsonMap {
    return { name: this.taskName };
  }
  override duplicate(): LocalFunctionTask {
    const copy = new LocalFunctionTask(this.fn, this.taskName, this.kwargs, this);
    copy.copyRetryFields(this);
    copy.currentRetries = this.currentRetries + 1;
    copy.retriedTask = this.id;
    return copy;
  }
}

/** A container of tasks: its children start once it starts; it ends when they all have. */
export class SubgraphTask extends Task {
  readonly type = 'SubgraphTask';
  declare readonly children: Map<string, Task>;
  /** The child whose failure failed this subgraph. */
  declare failedTask: Task | null;

  constructor(name: string, retry: RetryConfig, id?: string) {
    super(retry, id);
    this.children = new Map<string, Task>();
    this.failedTask = null;
    this.info = { name };
  }

  get name(): string {
    const name = this.info.name;
    return typeof name === 'string' ? name : this.id;
  }

  override get isSubgraph(): boolean {
    return true;
  }

  get taskKwargs(): JsonMap {
    return {};
  }

  override isNop(): boolean {
    for (const child of this.children.values()) if (!child.isNop()) return false;
    return true;
  }

  /** The innermost failed task (for failure summaries). */
  rootFailedTask(): Task {
    const inner = this.failedTask;
    if (!inner) return this;
    return inner instanceof SubgraphTask ? inner.rootFailedTask() : inner;
  }
}
