import type { JsonValue } from '../ports';
import type { Task } from './tasks';

interface Cause {
  type?: JsonValue;
  message?: JsonValue;
  traceback?: JsonValue;
}

function causesOf(task: Task): Cause[] {
  const causes = task.error?.known_exception_type_kwargs?.causes;
  return Array.isArray(causes) ? (causes as Cause[]) : [];
}

/** `<Type> \`<message>\`` per cause, one a line. */
function shortCauses(task: Task): string {
  if (!task.error) return '';
  const causes = causesOf(task);
  if (causes.length === 0) return `${task.error.exception_type} \`${task.error.message}\``;
  return causes.map((cause) => `${String(cause.type)} \`${String(cause.message)}\``).join('\n');
}

/** The causes' tracebacks without their own header line. */
function causeTracebacks(task: Task): string {
  return causesOf(task)
    .map((cause) => (typeof cause.traceback === 'string' ? cause.traceback.trim() : ''))
    .filter((traceback) => traceback.length > 0)
    .map((traceback) => traceback.slice(traceback.indexOf('\n') + 1 || traceback.length))
    .filter((traceback) => traceback.length > 0)
    .join('\n');
}

/** The execution error for failed tasks (workflows.md §3.6). */
export function failureSummary(failed: Task[]): string {
  const line = (task: Task) => {
    const causes = shortCauses(task);
    return causes ? `${task.shortDescription}: ${causes}` : task.shortDescription;
  };
  let message =
    failed.length === 1
      ? `Task failed: ${line(failed[0])}`
      : `${failed.length} operation errors:\n${failed.map(line).join('\n')}`;
  const traceback = causeTracebacks(failed[0]);
  if (traceback) {
    message += `\nTraceback of ${failed[0].shortDescription} (most recent call last):\n${traceback}`;
  }
  return message;
}
