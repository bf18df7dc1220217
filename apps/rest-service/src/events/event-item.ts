import { formatTimestamp } from '@nestify/common';
import { EventRow } from './events.repository';

/** An event or log as GET /events returns it: flat, each kind with its own fields. */
export function eventItem(row: EventRow): Record<string, unknown> {
  const item: Record<string, unknown> = {
    _storage_id: row._storage_id,
    timestamp: formatTimestamp(row.timestamp),
    reported_timestamp: formatTimestamp(row.reported_timestamp),
    type: row.type,
    blueprint_id: row.blueprint_id,
    deployment_id: row.deployment_id,
    deployment_display_name: row.deployment_display_name,
    execution_id: row.execution_id,
    execution_group_id: row.execution_group_id,
    workflow_id: row.workflow_id,
    message: row.message,
    operation: row.operation,
    node_instance_id: row.node_instance_id,
    node_name: row.node_name,
    source_id: row.source_id,
    target_id: row.target_id,
    manager_name: row.manager_name,
    agent_name: row.agent_name,
  };
  if (row.type === 'cloudify_event')
    Object.assign(item, { event_type: row.event_type, error_causes: row.error_causes });
  else Object.assign(item, { logger: row.logger, level: row.level });
  return item;
}
