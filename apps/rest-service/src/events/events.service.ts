import { Injectable } from '@nestjs/common';
import { BadParametersError, formatTimestamp } from '@nestify/common';
import { pickFields } from '../common/list/list-envelope';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { EventsQuery } from './events-query';
import { EventRow, EventsRepository } from './events.repository';

export interface EventsPage {
  items: Record<string, unknown>[];
  metadata: { pagination: { total: number; size: number; offset: number } };
}

/** An event or log as GET /events returns it: flat, each kind with its own fields. */
function toItem(row: EventRow): Record<string, unknown> {
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

/** Reading and purging what executions reported (events and logs). */
@Injectable()
export class EventsService {
  constructor(private readonly events: EventsRepository) {}

  async list(query: EventsQuery, scope: TenantScope): Promise<EventsPage> {
    const { items, total } = await this.events.list(query, scope);
    return {
      items: items.map((row) => pickFields(toItem(row), query.include)),
      metadata: { pagination: { total, size: query.size, offset: query.offset } },
    };
  }

  /** DELETE /events?deployment_id=…&type=…: `{items: [deleted count]}`. */
  async delete(raw: Record<string, unknown>, scope: TenantScope): Promise<EventsPage> {
    const deploymentId = typeof raw.deployment_id === 'string' ? raw.deployment_id : undefined;
    if (!deploymentId) throw new BadParametersError('deployment_id is required to delete events');
    if (String(raw.store_before).toLowerCase() === 'true') {
      throw new BadParametersError(
        'store_before is not supported: export the events with GET /events first',
      );
    }
    const types =
      raw.type === undefined
        ? ['cloudify_event', 'cloudify_log']
        : ([] as string[]).concat(raw.type as string);
    const deleted = await this.events.deleteForDeployment(deploymentId, types, scope);
    return {
      items: [{ count: deleted }],
      metadata: { pagination: { total: 1, size: 1, offset: 0 } },
    };
  }
}
