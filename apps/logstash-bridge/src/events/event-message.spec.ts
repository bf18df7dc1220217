import { dispositionOf } from '@nestify/messaging';
import { parseEventMessage } from './event-message';

const ID = '5b7f4c1e-2a8e-4c1a-9a39-3c1b1f3c2b10';
const event = {
  message_id: ID,
  type: 'cloudify_event',
  event_type: 'task_failed',
  timestamp: '2026-01-01T10:00:03.120',
  message: { text: 'Task failed\u0000', arguments: null },
  context: {
    execution_id: 'ex-1',
    tenant: { name: 't1' },
    node_id: 'vm_1',
    operation: 'cloudify.interfaces.lifecycle.create',
    task_error_causes: [{ message: 'boom\u0000', type: 'E', traceback: '' }],
  },
};
const log = {
  message_id: ID,
  type: 'cloudify_log',
  logger: 'ctx.task',
  level: 'info',
  message: { text: '<out> hi' },
  context: { execution_group_id: 'g-1', tenant_name: 't1', source_id: 's', target_id: 't' },
};

const parse = (body: unknown, maxBytes = 1e6) => {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return parseEventMessage(raw, Buffer.byteLength(raw), maxBytes);
};
const reasonOf = (body: unknown, maxBytes?: number) => {
  try {
    parse(body, maxBytes);
  } catch (error) {
    const disposition = dispositionOf(error, true);
    return disposition.action === 'dead-letter'
      ? `${disposition.reason}: ${disposition.detail}`
      : '';
  }
  return 'accepted';
};

describe('parseEventMessage', () => {
  it('maps an event to its stored columns (UTC timestamps, NULs stripped, causes from the context)', () => {
    expect(parse(event)).toEqual([
      {
        table: 'events',
        owner: { kind: 'execution', id: 'ex-1', tenantName: 't1' },
        messageId: ID,
        timestamp: '2026-01-01T10:00:03.120Z',
        message: 'Task failed',
        messageCode: null,
        operation: 'cloudify.interfaces.lifecycle.create',
        nodeId: 'vm_1',
        sourceId: null,
        targetId: null,
        managerName: null,
        agentName: null,
        eventType: 'task_failed',
        errorCauses: [{ message: 'boom', type: 'E', traceback: '' }],
        logger: null,
        level: null,
      },
    ]);
  });

  it('maps a list of items, logs included, with execution groups as owners', () => {
    const [first, second] = parse([event, log]);
    expect(first.table).toBe('events');
    expect(second).toMatchObject({
      table: 'logs',
      owner: { kind: 'execution_group', id: 'g-1', tenantName: 't1' },
      logger: 'ctx.task',
      level: 'info',
      sourceId: 's',
      targetId: 't',
      eventType: null,
      errorCauses: null,
    });
  });

  it('rejects what cannot be stored, with the reason', () => {
    expect(reasonOf('{oops')).toMatch(/^malformed_json: /);
    expect(reasonOf(event, 100)).toMatch(/^too_large: body of \d+ bytes exceeds the limit of 100/);
    expect(reasonOf([])).toBe('invalid_message: empty list');
    expect(reasonOf({ ...event, message_id: 'x' })).toMatch(
      /^invalid_message: message\/message_id must match format "uuid"/,
    );
    expect(reasonOf({ ...event, context: { node_id: 'vm_1' } })).toMatch(
      /^invalid_message: message\/context/,
    );
    expect(reasonOf({ ...event, event_type: undefined })).toMatch(/event_type/);
    expect(reasonOf({ ...event, message: { text: 7 } })).toMatch(
      /^invalid_message: message\/message\/text must be/,
    );
    expect(reasonOf({ ...event, timestamp: '01/02/2026' })).toBe(
      "invalid_message: invalid timestamp '01/02/2026'",
    );
    expect(reasonOf([event, { ...log, type: 'other' }])).toMatch(/^invalid_message: item 1\/type/);
  });
});
