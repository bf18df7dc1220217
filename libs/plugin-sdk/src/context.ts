import type { JsonMap, JsonValue } from './json';

export type ContextType = 'deployment' | 'node-instance' | 'relationship-instance';

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

/** Logs to the manager (they show up in `GET /events?include_logs=true` of the execution). */
export interface OperationLogger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** The node (template) of an instance; properties are read-only. */
export interface NodeContext {
  readonly id: string;
  /** Same as `id` (Cloudify keeps both). */
  readonly name: string;
  readonly type: string;
  readonly typeHierarchy: string[];
  readonly properties: Readonly<JsonMap>;
  readonly numberOfInstances: number;
}

export interface InstanceRelationship {
  type: string;
  typeHierarchy: string[];
  targetId: string;
  targetName: string;
}

/** Decides what to write when the stored instance changed meanwhile (optimistic lock, 409). */
export type ConflictResolver = (local: JsonMap, latest: JsonMap) => JsonMap;

/** A node instance; edits to `runtimeProperties` are stored when the operation ends. */
export interface InstanceContext {
  readonly id: string;
  /** Edit in place; stored (whole, with the version lock) after the operation returns or throws. */
  runtimeProperties: JsonMap;
  readonly version: number;
  readonly index: number;
  readonly hostId: string | null;
  readonly relationships: InstanceRelationship[];
  readonly scalingGroups: Array<{ id: string; name: string }>;
  /** True when `runtimeProperties` differ from what was last read or written. */
  readonly dirty: boolean;
  /** Stores the runtime properties now; on a conflict calls `onConflict` and tries again. */
  update(onConflict?: ConflictResolver): Promise<void>;
  /** Re-reads the instance; refuses to drop local edits unless `force`. */
  refresh(force?: boolean): Promise<void>;
  /** The `ip` of the host instance (its runtime property, else its node's property). */
  hostIp(): Promise<string>;
}

/** One side of a relationship operation. */
export interface RelationshipSubject {
  readonly node: NodeContext;
  readonly instance: InstanceContext;
}

export interface OperationInfo {
  /** e.g. `cloudify.interfaces.lifecycle.create`. */
  readonly name: string;
  /** 0-based. */
  readonly retryNumber: number;
  readonly maxRetries: number;
  readonly relationship: 'source' | 'target' | null;
  /** Marks the operation to be rescheduled once the function returns (no throw needed). */
  retry(message?: string, retryAfter?: number): void;
}

/** What an operation function receives as `ctx` (workflows.md §5). */
export interface OperationContext {
  readonly type: ContextType;
  readonly taskType: 'operation';
  readonly taskId: string;
  readonly taskName: string;
  readonly taskTarget: string | null;
  readonly executionId: string;
  readonly workflowId: string;
  readonly tenantName: string;
  readonly executionCreatorUsername: string | null;
  readonly workflowParameters: JsonMap;
  readonly resume: boolean;
  readonly blueprint: { readonly id: string };
  readonly deployment: { readonly id: string };
  /** Node-instance operations only (else throws). */
  readonly node: NodeContext;
  /** Node-instance operations only (else throws). */
  readonly instance: InstanceContext;
  /** Relationship operations only (else throws). */
  readonly source: RelationshipSubject;
  readonly target: RelationshipSubject;
  readonly operation: OperationInfo;
  readonly logger: OperationLogger;
  /** Aborted when the operation times out or its execution is killed: stop work and return. */
  readonly signal: AbortSignal;
  /** The raw `__cloudify_context` of the task. */
  readonly cloudifyContext: Readonly<JsonMap>;
  /** A `plugin_event` with this text. */
  sendEvent(text: string, args?: JsonValue): void;
  /** A blueprint file (path relative to the blueprint root). */
  getResource(path: string): Promise<Buffer>;
  /** A blueprint file with `{{ name }}` placeholders replaced from `variables`. */
  getResourceAndRender(path: string, variables: JsonMap): Promise<string>;
  /** Saves a blueprint file locally; returns its path. */
  downloadResource(path: string, targetPath?: string): Promise<string>;
  downloadResourceAndRender(path: string, variables: JsonMap, targetPath?: string): Promise<string>;
}
