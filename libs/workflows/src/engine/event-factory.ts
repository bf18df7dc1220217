import { createHash } from 'node:crypto';
import { newUuid } from '@nestify/common';
import type { JsonMap, JsonValue, WorkflowEventMessage } from '../ports';
import type { RemoteOperationTask, Task } from './tasks';

export interface ExecutionIdentity {
  execution_id: string;
  workflow_id: string;
  deployment_id: string | null;
  blueprint_id: string | null;
  tenant_name: string;
}

export type LogLevel = NonNullable<WorkflowEventMessage['level']>;

export type TaskEventState = 'sending' | 'started' | 'succeeded' | 'rescheduled' | 'failed';

const TASK_EVENT_TYPES: Record<TaskEventState, string> = {
  sending: 'sending_task',
  started: 'task_started',
  succeeded: 'task_succeeded',
  rescheduled: 'task_rescheduled',
  failed: 'task_failed',
};

/** `new Date().toISOString()`, formatted once per millisecond (events come in bursts). */
let lastStampMs = -1;
let lastStamp = '';
function timestampNow(): string {
  const now = Date.now();
  if (now !== lastStampMs) {
    lastStampMs = now;
    lastStamp = new Date(now).toISOString();
  }
  return lastStamp;
}

/**
 * Builds events and logs in the bridge's format (messaging.md §3.4, workflows.md §4). Contexts
 * are written as object literals, not spreads: a run emits a few events per task.
 */
export class EventFactory {
  private readonly blueprintId: string | null;
  private readonly deploymentId: string | null;
  private readonly executionId: string;
  private readonly workflowId: string;
  private readonly tenantName: string;
  private readonly tenant: JsonMap;

  constructor(
    identity: ExecutionIdentity,
    private readonly dryRun: boolean,
  ) {
    this.blueprintId = identity.blueprint_id;
    this.deploymentId = identity.deployment_id;
    this.executionId = identity.execution_id;
    this.workflowId = identity.workflow_id;
    this.tenantName = identity.tenant_name;
    this.tenant = { name: identity.tenant_name };
  }

  /** Context of workflow events and logs (a fresh copy: sinks may keep or change it). */
  workflowContext(): JsonMap {
    return {
      blueprint_id: this.blueprintId,
      deployment_id: this.deploymentId,
      execution_id: this.executionId,
      workflow_id: this.workflowId,
      tenant_name: this.tenantName,
      tenant: this.tenant,
    };
  }

  /** Context of node events: `node_id` is the instance id, `node_name` the node id. */
  nodeContext(instanceId: string, nodeId: string): JsonMap {
    return {
      blueprint_id: this.blueprintId,
      deployment_id: this.deploymentId,
      execution_id: this.executionId,
      workflow_id: this.workflowId,
      tenant_name: this.tenantName,
      tenant: this.tenant,
      node_id: instanceId,
      node_name: nodeId,
    };
  }

  operationContext(task: RemoteOperationTask): JsonMap {
    const ctx = task.cloudifyContext;
    const plugin = ctx.plugin as { name?: JsonValue } | undefined;
    return {
      blueprint_id: this.blueprintId,
      deployment_id: this.deploymentId,
      execution_id: this.executionId,
      workflow_id: this.workflowId,
      tenant_name: this.tenantName,
      tenant: this.tenant,
      task_id: task.id,
      task_name: ctx.task_name,
      task_queue: (ctx.task_queue as JsonValue) ?? null,
      task_target: (ctx.task_target as JsonValue) ?? null,
      operation: ctx.operation.name,
      plugin: plugin?.name ?? null,
      node_id: ctx.node_id,
      node_name: ctx.node_name,
    };
  }

  event(eventType: string, text: string, context: JsonMap, args?: JsonValue): WorkflowEventMessage {
    const message: WorkflowEventMessage = {
      message_id: newUuid(),
      type: 'cloudify_event',
      timestamp: timestampNow(),
      event_type: eventType,
      message: { text, arguments: args ?? null },
      context,
    };
    const causes = context.task_error_causes;
    if (causes !== undefined) message.error_causes = causes;
    return message;
  }

  log(level: LogLevel, text: string, context: JsonMap, loggerName: string): WorkflowEventMessage {
    return {
      message_id: newUuid(),
      type: 'cloudify_log',
      timestamp: timestampNow(),
      level,
      logger: loggerName,
      message: { text },
      context,
    };
  }

  workflowEvent(eventType: string, text: string, args?: JsonValue, extra?: JsonMap | null) {
    const context = this.workflowContext();
    if (extra) Object.assign(context, extra);
    return this.event(eventType, text, context, args);
  }

  nodeEvent(instanceId: string, nodeId: string, text: string, extra?: JsonMap | null) {
    const context = this.nodeContext(instanceId, nodeId);
    if (extra) Object.assign(context, extra);
    return this.event('workflow_node_event', text, context);
  }

  /** A task event (`Task failed 'x' -> boom [retry 1/5]`), or null when the task sends none. */
  taskEvent(
    task: Task,
    state: TaskEventState,
    detail?: { result?: JsonValue; exception?: string; causes?: JsonValue },
  ): WorkflowEventMessage | null {
    if (state !== 'failed' && !task.sendTaskEvents) return null;
    const text = taskEventText(task, state, detail ?? {}, this.dryRun);
    const context =
      task.type === 'RemoteWorkflowTask'
        ? this.operationContext(task as RemoteOperationTask)
        : this.workflowContext();
    context.task_current_retries = task.currentRetries;
    context.task_total_retries = task.totalRetries;
    if (state === 'failed' || state === 'rescheduled')
      context.task_error_causes = detail?.causes ?? null;
    const event = this.event(TASK_EVENT_TYPES[state], text, context);
    // One id per (execution, task, event): a task event sent again — by a worker resuming the
    // execution, or re-announced after a crash — is stored once (the bridge skips known ids).
    event.message_id = stableUuid(`${String(context.execution_id)}/${task.id}/${event.event_type}`);
    return event;
  }
}

/** A name-based UUID (SHA-1, version 5 layout) of `name`. */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function describeResult(result: JsonValue): string {
  return typeof result === 'string' ? result : JSON.stringify(result);
}

export function taskEventText(
  task: Task,
  state: TaskEventState,
  detail: { result?: JsonValue; exception?: string },
  dryRun: boolean,
): string {
  const kind = task.isSubgraph ? 'Subgraph' : 'Task';
  let text =
    state === 'sending' ? `Sending task '${task.name}'` : `${kind} ${state} '${task.name}'`;
  if (state === 'succeeded' && detail.result !== undefined && detail.result !== null) {
    text += ` - ${describeResult(detail.result)}`;
  }
  if ((state === 'rescheduled' || state === 'failed') && detail.exception) {
    text += ` -> ${detail.exception}`;
  }
  if (dryRun) text += ' (dry run)';
  if (task.currentRetries > 0) {
    text += ` [retry ${task.currentRetries}${task.totalRetries >= 0 ? `/${task.totalRetries}` : ''}]`;
  }
  return text;
}
