/** Operation types whose state changes the server reports as task events. */
const EVENTFUL_TYPES = new Set(['RemoteWorkflowTask', 'SubgraphTask']);

export interface TaskEventInput {
  type: string | null;
  name: string | null;
  state: string;
  exception?: unknown;
  currentRetries: number;
  totalRetries: number;
}

/**
 * The event a task's new state produces (`task_started`, `task_failed`…), or undefined for
 * states and task types that produce none.
 */
export function taskEvent(
  input: TaskEventInput,
): { eventType: string; message: string } | undefined {
  if (!input.type || !EVENTFUL_TYPES.has(input.type)) return undefined;
  const name = input.name ?? '';
  const error =
    input.exception === undefined || input.exception === null
      ? ''
      : ` -> ${String(input.exception)}`;
  const retry =
    input.totalRetries !== 0
      ? ` [retry ${input.currentRetries}${input.totalRetries > 0 ? `/${input.totalRetries}` : ''}]`
      : '';
  switch (input.state) {
    case 'sending':
      return { eventType: 'sending_task', message: `Sending task '${name}'${retry}` };
    case 'started':
      return { eventType: 'task_started', message: `Task started '${name}'${retry}` };
    case 'succeeded':
      return { eventType: 'task_succeeded', message: `Task succeeded '${name}'${retry}` };
    case 'rescheduled':
      return {
        eventType: 'task_rescheduled',
        message: `Task rescheduled '${name}'${error}${retry}`,
      };
    case 'failed':
      return { eventType: 'task_failed', message: `Task failed '${name}'${error}${retry}` };
    default:
      return undefined;
  }
}
