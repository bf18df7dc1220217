import type { WorkflowEventMessage } from '@nestify/workflows';
import { EventPrinter, formatLine, subjectOf } from './event-printer';

const at = new Date(2026, 10, 25, 10, 0, 3, 120).toISOString();

function event(
  text: string,
  context: Record<string, string | null>,
  extra = {},
): WorkflowEventMessage {
  return {
    message_id: 'm1',
    type: 'cloudify_event',
    event_type: 'task_started',
    timestamp: at,
    message: { text },
    context: { deployment_id: 'local', ...context },
    ...extra,
  };
}

describe('event lines', () => {
  it('prints an operation event as cfy local does', () => {
    const line = formatLine(
      event("Task started 'script_runner.tasks.run'", {
        node_id: 'vm_abc12',
        operation: 'cloudify.interfaces.lifecycle.create',
      }),
    );
    expect(line).toBe(
      "2026-11-25 10:00:03.120  CFY <local> [vm_abc12.create] Task started 'script_runner.tasks.run'",
    );
  });

  it('prints logs with their level, and workflow events without a subject', () => {
    const log = event(
      '<out> hello',
      { node_id: 'vm_1', operation: 'cloudify.interfaces.lifecycle.start' },
      {
        type: 'cloudify_log',
        level: 'warning',
      },
    );
    expect(formatLine(log)).toBe(
      '2026-11-25 10:00:03.120  LOG <local> [vm_1.start] WARNING: <out> hello',
    );
    expect(formatLine(event("Starting 'install' workflow execution", {}))).toBe(
      "2026-11-25 10:00:03.120  CFY <local> Starting 'install' workflow execution",
    );
  });

  it('names both ends of a relationship operation and keeps a message to its first line', () => {
    expect(
      subjectOf({ source_id: 'app_1', target_id: 'db_2', operation: 'x.y.preconfigure' }),
    ).toBe('app_1->db_2|preconfigure');
    expect(subjectOf({ node_id: 'vm_1' })).toBe('vm_1');
    expect(formatLine(event('failed: boom\nTraceback…\n  at x', {}))).toMatch(/ failed: boom$/);
  });

  it('prints whole JSON objects, one per line, in JSON mode', () => {
    const lines: string[] = [];
    const item = event('x\ny', { node_id: 'vm_1' });
    new EventPrinter((line) => lines.push(line), 'json').publish([item, item]);
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    expect(JSON.parse(lines[0])).toEqual(item);
  });
});
