import type {
  CancellationSignal,
  DeploymentSnapshot,
  EventSink,
  ExecutionRequest,
  ExecutionStatus,
  ExecutionStore,
  GraphStore,
  JsonMap,
  OperationDispatcher,
  OperationReply,
  OperationRequest,
  OperationStateChange,
  SerializedError,
  StoredGraph,
  StoredOperation,
  WorkflowEventMessage,
  WorkflowPorts,
  WorkflowSettings,
} from '../ports';
import { InMemoryDeploymentStore } from './in-memory-deployment-store';

/** Stored graphs in memory; `resetForResume` does what the REST service does on resume. */
export class InMemoryGraphStore implements GraphStore {
  readonly graphs: StoredGraph[] = [];
  readonly changes: OperationStateChange[] = [];
  private readonly operations = new Map<string, StoredOperation>();

  async find(executionId: string, name: string): Promise<StoredGraph | null> {
    const graph = this.graphs.find((g) => g.execution_id === executionId && g.name === name);
    return graph ? structuredClone(graph) : null;
  }

  async create(executionId: string, name: string, operations: StoredOperation[]): Promise<string> {
    const id = `graph_${this.graphs.length + 1}`;
    // The engine hands over fresh dumps; keeping them uncloned keeps big graphs cheap.
    const graph: StoredGraph = { id, name, execution_id: executionId, operations: [...operations] };
    this.graphs.push(graph);
    for (const op of graph.operations) this.operations.set(op.id, op);
    return id;
  }

  async addOperations(graphId: string, operations: StoredOperation[]): Promise<void> {
    const graph = this.graphs.find((g) => g.id === graphId);
    if (!graph) throw new Error(`no graph ${graphId}`);
    for (const op of operations) {
      if (this.operations.has(op.id)) continue;
      graph.operations.push(op);
      this.operations.set(op.id, op);
    }
  }

  recordStates(changes: OperationStateChange[]): void {
    for (const change of changes) {
      this.changes.push(change);
      const op = this.operations.get(change.id);
      if (op) op.state = change.state;
    }
  }

  async flush(): Promise<void> {}

  operation(id: string): StoredOperation | undefined {
    return this.operations.get(id);
  }

  /** Failed and rescheduled operations (not superseded by a retry) go back to pending. */
  resetForResume(executionId: string, force = false): void {
    const states = force
      ? ['failed', 'rescheduled', 'started', 'sent', 'sending']
      : ['failed', 'rescheduled'];
    for (const graph of this.graphs.filter((g) => g.execution_id === executionId)) {
      const retried = new Set(
        graph.operations.map((op) => op.parameters.retried_task).filter(Boolean),
      );
      for (const op of graph.operations) {
        if (retried.has(op.id) || !states.includes(op.state)) continue;
        op.state = 'pending';
        op.parameters.current_retries = 0;
      }
    }
  }
}

export type Responder = (request: OperationRequest) => OperationReply | Promise<OperationReply>;

/** Answers operations with a responder (default: success); records every request. */
export class ScriptedDispatcher implements OperationDispatcher {
  readonly requests: OperationRequest[] = [];
  responder: Responder = () => ({ ok: true, result: null });

  async send(request: OperationRequest): Promise<OperationReply> {
    this.requests.push(request);
    return this.responder(request);
  }

  /** `<instance id>:<operation>` of every request, in sending order. */
  sent(): string[] {
    return this.requests.map((r) => {
      const ctx = r.message.cloudify_task.kwargs.__cloudify_context as JsonMap & {
        operation: { name: string };
      };
      return `${String(ctx.node_id)}:${ctx.operation.name}`;
    });
  }
}

export function errorReply(
  type: 'RecoverableError' | 'NonRecoverableError' | 'OperationRetry',
  message: string,
  retryAfter: number | null = null,
): OperationReply {
  const error: SerializedError = {
    exception_type: type,
    message,
    known_exception_type: type,
    known_exception_type_args: [retryAfter],
    known_exception_type_kwargs: {
      causes: [
        {
          message,
          type,
          traceback: `Traceback (most recent call last):\n  File "op.py", line 1\n${type}: ${message}`,
        },
      ],
    },
    append_message: false,
  };
  return { ok: false, error };
}

export class RecordingEventSink implements EventSink {
  readonly items: WorkflowEventMessage[] = [];
  publish(items: WorkflowEventMessage[]): void {
    this.items.push(...items);
  }
  async flush(): Promise<void> {}
  events(type?: string): WorkflowEventMessage[] {
    return this.items.filter(
      (i) => i.type === 'cloudify_event' && (!type || i.event_type === type),
    );
  }
  texts(type?: string): string[] {
    return this.events(type).map((e) => e.message.text);
  }
}

export class InMemoryExecutionStore implements ExecutionStore {
  readonly statuses: Array<{ status: ExecutionStatus; error?: string }> = [];
  /** Statuses the store refuses (e.g. `started` of an execution already cancelled). */
  readonly refuse = new Set<ExecutionStatus>();
  async setStatus(status: ExecutionStatus, error?: string): Promise<void> {
    if (this.refuse.has(status)) throw new Error(`transition to ${status} refused`);
    this.statuses.push(error === undefined ? { status } : { status, error });
  }
  get last(): ExecutionStatus | undefined {
    return this.statuses[this.statuses.length - 1]?.status;
  }
}

export class ManualCancellation implements CancellationSignal {
  cancelRequested = false;
  killRequested = false;
  private readonly listeners: Array<() => void> = [];
  onCancel(listener: () => void): void {
    this.listeners.push(listener);
  }
  cancel(): void {
    this.cancelRequested = true;
    for (const listener of this.listeners) listener();
  }
  kill(): void {
    this.killRequested = true;
    this.cancel();
  }
}

export const FAST_SETTINGS: WorkflowSettings = {
  task_retries: 60,
  task_retry_interval: 0,
  subgraph_retries: 0,
  max_concurrent_tasks: 1000,
};

export interface MemoryPorts extends WorkflowPorts {
  deployments: InMemoryDeploymentStore;
  graphs: InMemoryGraphStore;
  dispatcher: ScriptedDispatcher;
  events: RecordingEventSink;
  execution: InMemoryExecutionStore;
  cancellation: ManualCancellation;
}

/** Ports over memory for a deployment snapshot (tests, local mode). */
export function memoryPorts(
  snapshot: DeploymentSnapshot,
  settings: Partial<WorkflowSettings> = {},
): MemoryPorts {
  return {
    deployments: new InMemoryDeploymentStore(snapshot),
    graphs: new InMemoryGraphStore(),
    dispatcher: new ScriptedDispatcher(),
    events: new RecordingEventSink(),
    execution: new InMemoryExecutionStore(),
    cancellation: new ManualCancellation(),
    settings: { ...FAST_SETTINGS, ...settings },
  };
}

/** An execution request for a built-in workflow. */
export function executionRequest(
  workflow: string,
  parameters: JsonMap = {},
  overrides: Partial<ExecutionRequest> = {},
): ExecutionRequest {
  const mapping: Record<string, string> = {
    heal: 'auto_heal_reinstall_node_subgraph',
    scale: 'scale_entity',
  };
  return {
    execution_id: 'exec-1',
    workflow_id: workflow,
    task_name: `cloudify.plugins.workflows.${mapping[workflow] ?? workflow}`,
    parameters,
    deployment_id: 'd1',
    blueprint_id: 'bp',
    tenant_name: 'default_tenant',
    execution_creator_username: 'admin',
    dry_run: false,
    resume: false,
    is_system_workflow: false,
    wait_after_fail: 600,
    context: { rest_host: ['127.0.0.1'], rest_port: 8100, execution_token: 'tok' },
    ...overrides,
  };
}
