import type { JsonMap } from '@nestify/plugin-sdk';

/** A service request on an agent's `service` routing key (workflows.md §7). */
export type ServiceTask =
  | { kind: 'ping' }
  | { kind: 'cancel-operation'; executionId: string }
  | { kind: 'unsupported'; taskName: string };

const isMap = (value: unknown): value is JsonMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Decodes `{"service_task": {"task_name", "kwargs"}}`; undefined when the body is not one. */
export function parseServiceTask(body: unknown): ServiceTask | undefined {
  if (!isMap(body) || !isMap(body.service_task)) return undefined;
  const { task_name: taskName, kwargs } = body.service_task;
  if (typeof taskName !== 'string') return undefined;
  if (taskName === 'ping') return { kind: 'ping' };
  if (taskName === 'cancel-operation') {
    const executionId = isMap(kwargs) ? kwargs.execution_id : undefined;
    if (typeof executionId !== 'string') return undefined;
    return { kind: 'cancel-operation', executionId };
  }
  return { kind: 'unsupported', taskName };
}
