import type {
  DeploymentInfo,
  DeploymentModificationData,
  DeploymentSnapshot,
  ExecutionRequest,
  JsonMap,
  JsonValue,
  NodeInstanceData,
  PlanOperation,
  StoredGraph,
  WorkflowEventMessage,
  WorkflowPorts,
} from '../ports';
import type { RetryConfig } from '../engine/tasks';
import { BookkeepingBuffer } from '../engine/bookkeeping-buffer';
import { EventFactory } from '../engine/event-factory';
import { ExecutorEnv, GraphExecutor } from '../engine/graph-executor';
import { HandlerRegistry } from '../engine/handlers';
import { TaskGraph } from '../engine/task-graph';
import { dumpTask, restoreGraph, restoreTask } from '../engine/task-store';
import {
  GetNodeInstanceStateTask,
  LocalFunction,
  LocalFunctionTask,
  OperationContextData,
  RemoteOperationTask,
  SendNodeEventTask,
  SendWorkflowEventTask,
  SetNodeInstanceStateTask,
  Task,
} from '../engine/tasks';
import {
  ExecuteOperationOptions,
  InstanceHost,
  RelatedInstance,
  WfNode,
  WfNodeInstance,
} from './model';
import { buildOperationTask } from './operation-task';
import { OperationRouter } from './operation-routing';
import { WorkflowLogger } from './workflow-logger';

export interface WorkflowContextOptions {
  request: ExecutionRequest;
  ports: WorkflowPorts;
  /** The deployment's nodes and instances; null for workflows not bound to a deployment. */
  snapshot: DeploymentSnapshot | null;
  handlers: HandlerRegistry;
}

export interface SendEventOptions {
  eventType?: string;
  args?: JsonValue;
  additionalContext?: JsonMap;
}

/**
 * What a workflow function gets as `ctx` (workflows.md §8): the deployment's nodes and
 * instances, task factories, graphs (built, stored, restored on resume, executed), events
 * and logs, and the cancel flag.
 */
export class WorkflowContext implements InstanceHost {
  readonly request: ExecutionRequest;
  readonly ports: WorkflowPorts;
  readonly handlers: HandlerRegistry;
  readonly events: EventFactory;
  readonly logger: WorkflowLogger;
  deployment: DeploymentInfo | null;
  private nodesById = new Map<string, WfNode>();
  private instancesById = new Map<string, WfNodeInstance>();
  private containedBy = new Map<string, WfNodeInstance[]>();
  private readonly router: OperationRouter;
  /** Per instance, its latest state write not yet stored. */
  private readonly unwritten = new Map<string, Promise<void>>();
  /** Events and task states of running graphs, batched; direct publishing flushes it first. */
  private readonly bookkeeping: BookkeepingBuffer;
  private inGraphMode = false;
  private ranTasks = false;

  constructor(options: WorkflowContextOptions) {
    this.request = options.request;
    this.ports = options.ports;
    this.handlers = options.handlers;
    this.deployment = options.snapshot?.deployment ?? null;
    this.bookkeeping = new BookkeepingBuffer(this.ports.events, this.ports.graphs);
    this.events = new EventFactory(
      {
        execution_id: this.request.execution_id,
        workflow_id: this.request.workflow_id,
        deployment_id: this.request.deployment_id,
        blueprint_id: this.request.blueprint_id,
        tenant_name: this.request.tenant_name,
      },
      this.request.dry_run,
    );
    this.logger = new WorkflowLogger(
      this.events,
      this.publish,
      () => this.events.workflowContext(),
      `ctx.${this.request.execution_id}`,
    );
    if (options.snapshot) this.index(options.snapshot.nodes, options.snapshot.instances);
    this.router = new OperationRouter(
      this.request,
      this.ports.deployments,
      (id) => this.instancesById.get(id)?.hostId ?? null,
    );
  }

  /* ------------------------------------------------------------ execution facts */

  get executionId(): string {
    return this.request.execution_id;
  }
  get workflowId(): string {
    return this.request.workflow_id;
  }
  get deploymentId(): string | null {
    return this.request.deployment_id;
  }
  get blueprintId(): string | null {
    return this.request.blueprint_id;
  }
  get tenantName(): string {
    return this.request.tenant_name;
  }
  get parameters(): JsonMap {
    return this.request.parameters;
  }
  get dryRun(): boolean {
    return this.request.dry_run;
  }
  get resume(): boolean {
    return this.request.resume;
  }
  get waitAfterFail(): number {
    return this.request.wait_after_fail;
  }
  get cancelRequested(): boolean {
    return this.ports.cancellation.cancelRequested;
  }

  /* ------------------------------------------------------------ nodes and instances */

  get nodes(): WfNode[] {
    return [...this.nodesById.values()];
  }
  get nodeInstances(): WfNodeInstance[] {
    return [...this.instancesById.values()];
  }
  getNode(id: string): WfNode | undefined {
    return this.nodesById.get(id);
  }
  getNodeInstance(id: string): WfNodeInstance | undefined {
    return this.instancesById.get(id);
  }
  containedIn(instanceId: string): WfNodeInstance[] {
    return this.containedBy.get(instanceId) ?? [];
  }

  /** Re-reads the instances from the store (after an uninstall, a modification…). */
  async refreshNodeInstances(): Promise<void> {
    const instances = await this.ports.deployments.loadInstances();
    this.index(
      [...this.nodesById.values()].map((node) => node.data),
      instances,
    );
  }

  private index(nodes: DeploymentSnapshot['nodes'], instances: NodeInstanceData[]): void {
    this.nodesById = new Map(nodes.map((data) => [data.id, new WfNode(data)]));
    this.instancesById = new Map();
    this.containedBy = new Map();
    for (const data of instances) {
      const node = this.nodesById.get(data.node_id);
      if (!node) continue;
      const instance = new WfNodeInstance(data, node, this);
      node.instances.push(instance);
      this.instancesById.set(data.id, instance);
    }
    for (const instance of this.instancesById.values()) {
      for (const rel of instance.relationships) {
        if (!rel.isContainedIn) continue;
        const list = this.containedBy.get(rel.targetId) ?? [];
        list.push(instance);
        this.containedBy.set(rel.targetId, list);
      }
    }
  }

  /* ------------------------------------------------------------ tasks */

  operationTask(
    instance: WfNodeInstance,
    operations: Record<string, PlanOperation>,
    name: string,
    related: RelatedInstance | null,
    options: ExecuteOperationOptions,
  ): Task {
    return buildOperationTask(
      this.request,
      this.ports.settings,
      instance,
      operations,
      name,
      related,
      options,
    );
  }

  setStateTask(instance: WfNodeInstance, state: string): Task {
    return new SetNodeInstanceStateTask({ node_instance_id: instance.id, state });
  }

  getStateTask(instance: WfNodeInstance): Task {
    return new GetNodeInstanceStateTask({ node_instance_id: instance.id });
  }

  nodeEventTask(instance: WfNodeInstance, text: string, additionalContext?: JsonMap): Task {
    return new SendNodeEventTask({
      node_instance_id: instance.id,
      event: text,
      additional_context: additionalContext ?? null,
    });
  }

  instanceLogger(instance: WfNodeInstance): WorkflowLogger {
    return new WorkflowLogger(
      this.events,
      this.publish,
      () => this.events.nodeContext(instance.id, instance.nodeId),
      `ctx.${this.request.execution_id}`,
    );
  }

  /** A workflow event task (`ctx.send_event`); default type `workflow_stage`. */
  sendEvent(text: string, options: SendEventOptions = {}): Task {
    return new SendWorkflowEventTask({
      event: text,
      event_type: options.eventType ?? 'workflow_stage',
      event_args: options.args ?? null,
      additional_context: options.additionalContext ?? null,
    });
  }

  /** A function run in the workflow process as a task (not persisted: a no-op after resume). */
  localTask(fn: LocalFunction, name: string, kwargs: JsonMap = {}): Task {
    return new LocalFunctionTask(fn, name, kwargs, {
      totalRetries: this.ports.settings.task_retries,
      retryInterval: this.ports.settings.task_retry_interval,
    });
  }

  /** A raw remote task for a plugin function, run on the manager (`ctx.execute_task`). */
  executeTask(taskName: string, kwargs: JsonMap = {}, nodeContext: JsonMap = {}): Task {
    const settings = this.ports.settings;
    const context = {
      __cloudify_context: '0.3',
      type: 'operation',
      task_name: taskName,
      task_id: '',
      execution_id: this.executionId,
      workflow_id: this.workflowId,
      deployment_id: this.deploymentId,
      blueprint_id: this.blueprintId,
      tenant: { name: this.tenantName },
      node_id: '',
      node_name: '',
      executor: 'central_deployment_agent',
      operation: { name: taskName, retry_number: 0, max_retries: settings.task_retries },
      ...nodeContext,
    } as OperationContextData;
    return new RemoteOperationTask(
      { ...structuredClone(kwargs), __cloudify_context: context },
      { totalRetries: settings.task_retries, retryInterval: settings.task_retry_interval },
    );
  }

  /* ------------------------------------------------------------ graphs */

  /** A new empty graph (`ctx.graph_mode()`); refused once tasks already ran outside a graph. */
  graphMode(): TaskGraph {
    if (this.ranTasks && !this.inGraphMode) {
      throw new Error('Cannot switch to graph mode: tasks were already executed');
    }
    this.inGraphMode = true;
    return this.newGraph();
  }

  newGraph(): TaskGraph {
    return new TaskGraph({
      totalRetries: this.ports.settings.subgraph_retries,
      retryInterval: this.ports.settings.task_retry_interval,
    });
  }

  /**
   * The graph stored for this execution under `name` (restored on resume), else a new one built
   * by `build` and stored. Dry runs never store.
   */
  async makeOrGetGraph(
    name: string,
    build: (graph: TaskGraph) => void | Promise<void>,
  ): Promise<{ graph: TaskGraph; restored: boolean }> {
    if (!this.dryRun) {
      const stored = await this.ports.graphs.find(this.executionId, name);
      if (stored) {
        const retry = {
          totalRetries: this.ports.settings.subgraph_retries,
          retryInterval: this.ports.settings.task_retry_interval,
        };
        this.reannounceSucceeded(stored, retry);
        return { graph: restoreGraph(stored, retry), restored: true };
      }
    }
    const graph = this.newGraph();
    await build(graph);
    await this.storeGraph(graph, name);
    return { graph, restored: false };
  }

  /**
   * A worker that died after storing operations as succeeded may not have published their
   * task_succeeded events yet: they are announced again on resume, under the same message ids,
   * so each is stored exactly once.
   */
  private reannounceSucceeded(stored: StoredGraph, retry: RetryConfig): void {
    for (const op of stored.operations) {
      if (op.state !== 'succeeded' || op.type !== 'RemoteWorkflowTask') continue;
      const event = this.events.taskEvent(restoreTask(op, retry), 'succeeded');
      if (event) this.bookkeeping.event(event);
    }
  }

  /** Optimises the graph and stores it (no-op in a dry run). */
  async storeGraph(graph: TaskGraph, name: string): Promise<void> {
    graph.optimize();
    if (this.dryRun) return;
    const operations = graph.liveTasks().map(dumpTask);
    graph.id = await this.ports.graphs.create(this.executionId, name, operations);
  }

  /** Runs a graph to its end; throws WorkflowFailed or ExecutionCancelled. */
  async executeGraph(graph: TaskGraph): Promise<void> {
    this.ranTasks = true;
    await new GraphExecutor(graph, this.executorEnv()).execute();
  }

  /** Runs one task now, outside any stored graph, and returns its result. */
  async execute(task: Task): Promise<JsonValue> {
    const graph = this.newGraph();
    graph.addTask(task);
    await this.executeGraph(graph);
    return task.result;
  }

  /* ------------------------------------------------------------ deployment writes */

  /** Writes an instance state, with the system_properties it implies (workflows.md §2.4). */
  setInstanceState(instanceId: string, state: string): Promise<void> {
    const written = this.writeInstanceState(instanceId, state);
    this.unwritten.set(instanceId, written);
    void written.finally(() => {
      if (this.unwritten.get(instanceId) === written) this.unwritten.delete(instanceId);
    });
    return written;
  }

  /** Resolves once every instance state queued so far is stored. */
  async instanceStatesStored(): Promise<void> {
    await Promise.all(this.unwritten.values());
  }

  /** setInstanceState without waiting (set-state tasks): see ExecutorEnv.queueInstanceState. */
  private queueInstanceState(instanceId: string, state: string): void {
    this.setInstanceState(instanceId, state).catch(() => undefined);
  }

  /**
   * The request of a remote operation, once the state writes queued for its instance (and the
   * related one) are stored: the operation may read the instance or update it by version.
   */
  private prepareOperation(task: RemoteOperationTask) {
    const ctx = task.cloudifyContext;
    const related = ctx.related as { node_id?: string } | null | undefined;
    const pending = [ctx.node_id, related?.node_id]
      .map((id) => (typeof id === 'string' ? this.unwritten.get(id) : undefined))
      .filter((written) => written !== undefined);
    if (!pending.length) return this.router.prepare(task);
    return Promise.all(pending).then(() => this.router.prepare(task));
  }

  private async writeInstanceState(instanceId: string, state: string): Promise<void> {
    const instance = this.instancesById.get(instanceId);
    let system: JsonMap | null = null;
    if (state === 'configured' || state === 'started') {
      const now = new Date().toISOString();
      system = { ...(instance?.systemProperties ?? {}) };
      if (state === 'configured') {
        system.configuration_drift = { ok: true, result: null, task: null, timestamp: now };
      } else {
        system.status = { ok: true, result: null, task: null, timestamp: now };
        system.previous_status = null;
      }
    }
    if (instance) {
      instance.data = {
        ...instance.data,
        state,
        version: instance.version + 1,
        system_properties: system ?? instance.systemProperties,
      };
    }
    await this.ports.deployments.updateInstance(
      instanceId,
      system && instance ? { state, system_properties: system } : { state },
    );
  }

  /** Replaces an instance's system_properties (callers merge first). */
  async updateSystemProperties(instanceId: string, system: JsonMap): Promise<void> {
    const instance = this.instancesById.get(instanceId);
    if (instance) {
      instance.data = {
        ...instance.data,
        system_properties: system,
        version: instance.version + 1,
      };
    }
    if (this.dryRun) return;
    await this.ports.deployments.updateInstance(instanceId, { system_properties: system });
  }

  async startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData> {
    return this.ports.deployments.startModification(modifiedNodes);
  }

  async listStartedModifications(): Promise<DeploymentModificationData[]> {
    return this.ports.deployments.listStartedModifications();
  }

  /* ------------------------------------------------------------ internals */

  readonly publish = (items: WorkflowEventMessage[]): void => this.bookkeeping.publishNow(items);

  private executorEnv(): ExecutorEnv {
    return {
      ports: this.ports,
      events: this.events,
      handlers: this.handlers,
      dryRun: this.dryRun,
      waitAfterFail: this.waitAfterFail,
      workflow: this,
      prepareOperation: (task) => this.prepareOperation(task),
      queueInstanceState: (id, state) => this.queueInstanceState(id, state),
      getInstanceState: async (id) => this.instancesById.get(id)?.state ?? 'uninitialized',
      nodeIdOf: (id) => this.instancesById.get(id)?.nodeId ?? id,
      bookkeeping: this.bookkeeping,
    };
  }
}
