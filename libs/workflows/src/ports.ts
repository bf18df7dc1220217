/**
 * The engine's ports: everything a workflow run needs from the outside world. The mgmtworker
 * plugs in PostgreSQL, RabbitMQ and the REST service; local mode (`nestify local install`) plugs
 * in a state file, in-process workers and a printer; tests plug in memory. The engine itself never
 * imports a database, a broker or Nest.
 *
 * Wire shapes keep Cloudify's snake_case names (workflows.md §3, messaging.md §3) because they are
 * stored and sent as they are.
 */
import type { PlanNode, PlanOperation } from '@nestify/dsl';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonMap = { [key: string]: JsonValue };

/* ------------------------------------------------------------------ deployment snapshot */

/** The deployment a workflow runs on (what `ctx.deployment` shows). */
export interface DeploymentInfo {
  id: string;
  display_name: string;
  blueprint_id: string;
  tenant_name: string;
  creator: string;
  resource_tags: JsonMap | null;
  runtime_only_evaluation: boolean;
  /** Scaling groups with their current counts (plan `scaling_groups`). */
  scaling_groups: JsonMap;
}

/** A node as stored from the plan (`GET /nodes` item): the plan node plus instance counts. */
export type WorkflowNodeData = PlanNode & {
  number_of_instances: number;
  deploy_number_of_instances?: number;
};

/** A node instance as stored (`GET /node-instances` item). */
export interface NodeInstanceData {
  id: string;
  node_id: string;
  host_id: string | null;
  state: string;
  /** Optimistic-lock version; bumped by every change. */
  version: number;
  runtime_properties: JsonMap;
  system_properties: JsonMap;
  relationships: Array<{ target_id: string; target_name: string; type: string }>;
  scaling_groups: Array<{ id: string; name: string }>;
  index: number;
}

export interface DeploymentSnapshot {
  deployment: DeploymentInfo;
  nodes: WorkflowNodeData[];
  instances: NodeInstanceData[];
}

/** A change to one node instance written by the engine (state tasks, heal/check_status handlers). */
export interface NodeInstancePatch {
  state?: string;
  /** Replaces the stored system_properties (callers merge first). */
  system_properties?: JsonMap;
}

/** A started deployment modification (scale), as libs/dsl's modification API describes it. */
export interface DeploymentModificationData {
  id: string;
  status: 'started' | 'finished' | 'rolledback';
  /** `{ <node or group id>: { instances: n, removed_ids_exclude_hint?, removed_ids_include_hint? } }` */
  modified_nodes: JsonMap;
  /** Instances after the change, tagged `modification: added | removed | extended | reduced`. */
  node_instances: {
    added_and_related: Array<NodeInstanceData & { modification?: string }>;
    removed_and_related: Array<NodeInstanceData & { modification?: string }>;
  };
}

/** Reads and writes the deployment's nodes and instances. */
export interface DeploymentStore {
  load(): Promise<DeploymentSnapshot>;
  /** Re-reads the instances (after a modification, or for `refresh_node_instances`). */
  loadInstances(): Promise<NodeInstanceData[]>;
  /**
   * Reads one instance as stored now (the host's `cloudify_agent` when routing a host_agent
   * operation). Optional: without it the engine falls back to `loadInstances`.
   */
  getInstance?(instanceId: string): Promise<NodeInstanceData | null>;
  /**
   * Applies a patch to one instance; implementations may batch but must keep per-instance order.
   * Resolves once the patch is stored.
   */
  updateInstance(instanceId: string, patch: NodeInstancePatch): Promise<void>;
  /** Resolves once every patch given so far is stored (stores that batch implement it). */
  flush?(): Promise<void>;
  startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData>;
  finishModification(modificationId: string): Promise<void>;
  rollbackModification(modificationId: string): Promise<void>;
  listStartedModifications(): Promise<DeploymentModificationData[]>;
}

/* ------------------------------------------------------------------ tasks graphs and operations */

/** Stored task states (workflows.md §3.4). */
export type TaskState =
  'pending' | 'sending' | 'sent' | 'started' | 'succeeded' | 'failed' | 'rescheduled';

/** One task's dump as stored in `operations` (workflows.md §3.5). */
export interface StoredOperation {
  id: string;
  name: string;
  /** RemoteWorkflowTask, SubgraphTask, SetNodeInstanceStateTask, SendNodeEventTask, … */
  type: string;
  state: TaskState;
  dependencies: string[];
  parameters: {
    task_kwargs: JsonMap;
    current_retries: number;
    total_retries: number;
    retry_interval: number;
    send_task_events: boolean;
    info: JsonValue;
    error: JsonValue;
    containing_subgraph: string | null;
    /** Named, serialisable handlers: `{ path: '<registry id>', ...args }`. */
    on_success: JsonMap | null;
    on_failure: JsonMap | null;
    retried_task: string | null;
  };
}

export interface StoredGraph {
  id: string;
  name: string;
  execution_id: string;
  operations: StoredOperation[];
}

export interface OperationStateChange {
  id: string;
  state: TaskState;
  result?: JsonValue;
  exception?: string | null;
  exception_causes?: JsonValue;
  /** True for operations that count toward execution.total/finished_operations (non-NOP). */
  counted?: boolean;
}

/** Persists graphs so that a failed, cancelled or orphaned execution can be resumed. */
export interface GraphStore {
  /** The graph this execution stored under `name`, with its operations (for resume). */
  find(executionId: string, name: string): Promise<StoredGraph | null>;
  /** Stores a new graph with all its tasks; returns its id. */
  create(executionId: string, name: string, operations: StoredOperation[]): Promise<string>;
  /** Adds tasks to a stored graph (retries are new tasks). */
  addOperations(graphId: string, operations: StoredOperation[]): Promise<void>;
  /** Records state changes; implementations batch, and `flush` resolves once all are durable. */
  recordStates(changes: OperationStateChange[]): void;
  flush(): Promise<void>;
}

/* ------------------------------------------------------------------ dispatch */

/** The serialised error of an operation reply (workflows.md §3.3). */
export interface SerializedError {
  exception_type: string;
  message: string;
  traceback?: string;
  known_exception_type?:
    | 'NonRecoverableError'
    | 'RecoverableError'
    | 'OperationRetry'
    | 'HttpException'
    | 'StopAgent'
    | 'WorkflowFailed';
  known_exception_type_args?: JsonValue[];
  known_exception_type_kwargs?: { causes?: JsonValue[] } & JsonMap;
  append_message?: boolean;
}

export type OperationReply =
  { ok: true; result: JsonValue } | { ok: false; error: SerializedError };

/** An operation task (messaging.md §3.2): `kwargs` holds the inputs and `__cloudify_context`. */
export interface OperationTaskMessage {
  id: string;
  cloudify_task: { kwargs: JsonMap & { __cloudify_context: JsonMap } };
}

export interface OperationRequest {
  /** Exchange of the executor: `cloudify.management` or the host agent's name. */
  target: string;
  message: OperationTaskMessage;
  /** For `executor: host_agent` targets: ping the agent first (workflows.md §3.3). */
  hostAgent: boolean;
}

/** Sends operation tasks to workers and resolves with their replies (matched by task id). */
export interface OperationDispatcher {
  send(request: OperationRequest): Promise<OperationReply>;
}

/* ------------------------------------------------------------------ events */

/** An event or log in the bridge's format (messaging.md §3.4). */
export interface WorkflowEventMessage {
  message_id: string;
  type: 'cloudify_event' | 'cloudify_log';
  timestamp: string;
  message: { text: string; arguments?: JsonValue };
  context: JsonMap;
  event_type?: string;
  error_causes?: JsonValue;
  logger?: string;
  level?: 'debug' | 'info' | 'warning' | 'error' | 'critical';
}

/** Publishes events and logs; implementations batch and must keep their order. */
export interface EventSink {
  publish(items: WorkflowEventMessage[]): void;
  flush(): Promise<void>;
}

/* ------------------------------------------------------------------ the execution */

export type ExecutionStatus =
  | 'pending'
  | 'started'
  | 'cancelling'
  | 'force_cancelling'
  | 'kill_cancelling'
  | 'cancelled'
  | 'terminated'
  | 'failed';

/** The `__cloudify_context` of the execution request (messaging.md §3.1), with its parameters. */
export interface ExecutionRequest {
  execution_id: string;
  workflow_id: string;
  /** The workflow's mapping, e.g. `cloudify.plugins.workflows.install`. */
  task_name: string;
  parameters: JsonMap;
  deployment_id: string | null;
  blueprint_id: string | null;
  tenant_name: string;
  execution_creator_username: string;
  dry_run: boolean;
  resume: boolean;
  is_system_workflow: boolean;
  wait_after_fail: number;
  /** The rest of `__cloudify_context`, passed on into operation contexts. */
  context: JsonMap;
}

/** Writes the execution's status; a rejected transition (already cancelled) throws. */
export interface ExecutionStore {
  setStatus(status: ExecutionStatus, error?: string): Promise<void>;
}

/** Workflow-scoped settings (GET /config?scope=workflow). */
export interface WorkflowSettings {
  task_retries: number;
  task_retry_interval: number;
  subgraph_retries: number;
  /** Tasks in flight at once. */
  max_concurrent_tasks: number;
}

/** Cancellation requests, set by whoever watches the execution's status. */
export interface CancellationSignal {
  readonly cancelRequested: boolean;
  readonly killRequested: boolean;
  /** Resolves when a cancel (or kill) is requested. */
  onCancel(listener: () => void): void;
}

export interface WorkflowPorts {
  deployments: DeploymentStore;
  graphs: GraphStore;
  dispatcher: OperationDispatcher;
  events: EventSink;
  execution: ExecutionStore;
  settings: WorkflowSettings;
  cancellation: CancellationSignal;
}

export type { PlanOperation };
