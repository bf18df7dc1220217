import { randomUUID } from 'node:crypto';
import { LoggerLike } from '@nestify/common';
import { EXCHANGES, eventRoutingKey, MessageBus } from '@nestify/messaging';
import type { JsonMap, JsonValue, LogLevel } from '@nestify/plugin-sdk';
import type { WorkflowEventMessage } from '@nestify/workflows';
import type { OperationTaskContext } from '../worker/task-message';

/** The event/log `context` of an operation (workflows.md §4.1, operation context builder). */
export function operationEventContext(task: OperationTaskContext): JsonMap {
  const context: JsonMap = {
    blueprint_id: task.blueprint_id ?? null,
    deployment_id: task.deployment_id ?? null,
    execution_id: task.execution_id,
    workflow_id: task.workflow_id,
    tenant: { name: task.tenant.name },
    tenant_name: task.tenant.name,
    task_id: task.task_id,
    task_name: task.task_name,
    task_queue: task.task_queue ?? null,
    task_target: task.task_target ?? null,
    operation: task.operation?.name ?? null,
    plugin: task.plugin?.name ?? null,
    task_current_retries: task.operation?.retry_number ?? 0,
    task_total_retries: task.operation?.max_retries ?? 0,
  };
  const related = task.related;
  if (related && task.node_id) {
    // Relationship operation: its logs name both ends, not a node.
    const self = { id: task.node_id, name: task.node_name ?? null };
    const other = { id: related.node_id, name: related.node_name };
    const [source, target] = related.is_target ? [self, other] : [other, self];
    Object.assign(context, {
      source_id: source.id,
      source_name: source.name,
      target_id: target.id,
      target_name: target.name,
    });
  } else if (task.node_id) {
    Object.assign(context, { node_id: task.node_id, node_name: task.node_name ?? null });
  }
  return context;
}

/**
 * Publishes an operation's logs (`cloudify-logs`) and plugin events (`cloudify-events-topic`)
 * in the bridge's format (messaging.md §3.4). Publishing never fails the operation: a lost log
 * is reported locally. `flush` waits until everything published so far is confirmed, so the
 * logs reach the broker before the reply does.
 */
export class OperationEvents {
  private readonly pending = new Set<Promise<void>>();
  private readonly context: JsonMap;
  private readonly routingKey: string;

  constructor(
    private readonly bus: MessageBus,
    private readonly task: OperationTaskContext,
    private readonly logger: LoggerLike,
  ) {
    this.context = operationEventContext(task);
    this.routingKey = eventRoutingKey(
      task.tenant.name,
      task.deployment_id ?? null,
      task.execution_id,
    );
  }

  log(level: LogLevel, text: string): void {
    const message: WorkflowEventMessage = {
      ...this.base(text),
      type: 'cloudify_log',
      logger: `ctx.${this.task.task_id}`,
      level,
    };
    this.track(this.bus.publish(EXCHANGES.logs, '', message, { messageId: message.message_id }));
  }

  event(eventType: string, text: string, args?: JsonValue): void {
    const message: WorkflowEventMessage = {
      ...this.base(text, args),
      type: 'cloudify_event',
      event_type: eventType,
    };
    this.track(
      this.bus.publish(EXCHANGES.events, this.routingKey, message, {
        messageId: message.message_id,
      }),
    );
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private base(text: string, args?: JsonValue) {
    return {
      message_id: randomUUID(),
      timestamp: new Date().toISOString(),
      message: args === undefined ? { text } : { text, arguments: args },
      context: this.context,
    };
  }

  private track(publishing: Promise<void>): void {
    const settled = publishing.catch((error: unknown) => {
      this.logger.warn(`could not publish a log/event of task ${this.task.task_id}: ${error}`);
    });
    this.pending.add(settled);
    void settled.finally(() => this.pending.delete(settled));
  }
}
