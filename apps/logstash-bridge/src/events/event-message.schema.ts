/**
 * The JSON schema of one event or log message on `cloudify-events` / `cloudify-logs`
 * (messaging.md §3.4, workflows.md §4.1); a body is one such item or a list of them (a producer
 * may batch). Unknown keys are allowed: producers send context keys we do not store.
 */
const nullableString = { type: ['string', 'null'] };

const context = {
  type: 'object',
  properties: {
    execution_id: { type: 'string', minLength: 1 },
    execution_group_id: { type: 'string', minLength: 1 },
    tenant_name: { type: 'string' },
    tenant: { type: 'object', properties: { name: { type: 'string' } } },
    node_id: nullableString,
    node_instance_id: nullableString,
    operation: nullableString,
    source_id: nullableString,
    target_id: nullableString,
    task_error_causes: { type: ['array', 'null'] },
    manager_name: nullableString,
    agent_name: nullableString,
  },
  anyOf: [{ required: ['execution_id'] }, { required: ['execution_group_id'] }],
};

export const EVENT_ITEM_SCHEMA = {
  type: 'object',
  required: ['message_id', 'type', 'message', 'context'],
  properties: {
    message_id: { type: 'string', format: 'uuid' },
    type: { enum: ['cloudify_event', 'cloudify_log'] },
    timestamp: { type: 'string' },
    message: {
      type: 'object',
      required: ['text'],
      properties: { text: nullableString },
    },
    context,
    message_code: nullableString,
    operation: nullableString,
    manager_name: nullableString,
    agent_name: nullableString,
    event_type: { type: 'string', minLength: 1 },
    error_causes: { type: ['array', 'null'], items: { type: 'object' } },
    logger: nullableString,
    level: nullableString,
  },
  if: { properties: { type: { const: 'cloudify_event' } } },
  then: { required: ['event_type'] },
};
