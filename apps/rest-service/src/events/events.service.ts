import { Injectable } from '@nestjs/common';
import { BadParametersError, ConflictError, NotFoundError, parseTimestamp } from '@nestify/common';
import { pickFields } from '../common/list/list-envelope';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { EventsQuery } from './events-query';
import { CreateEventsDto } from './dto/create-events.dto';
import { eventItem } from './event-item';
import { EventOwner, EventsRepository, NewEvent, NewLog } from './events.repository';

export interface EventsPage {
  items: Record<string, unknown>[];
  metadata: { pagination: { total: number; size: number; offset: number } };
}

/** Reading and purging what executions reported (events and logs). */
@Injectable()
export class EventsService {
  constructor(private readonly events: EventsRepository) {}

  async list(query: EventsQuery, scope: TenantScope): Promise<EventsPage> {
    const { items, total } = await this.events.list(query, scope);
    return {
      items: items.map((row) => pickFields(eventItem(row), query.include)),
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

  /**
   * POST /events: stores a batch for one execution — the one named, else the calling execution
   * token's — or one execution group. Returns whether anything was stored (201 vs 204).
   */
  async create(
    body: CreateEventsDto,
    scope: TenantScope,
    tokenExecutionId?: string,
  ): Promise<boolean> {
    if (body.execution_id && body.execution_group_id) {
      throw new ConflictError('Cannot provide both execution_id and execution_group_id.');
    }
    const owner = await this.owner(body, scope, tokenExecutionId);
    const events = body.events ?? [];
    const logs = body.logs ?? [];
    if (!events.length && !logs.length) return false;
    const common = (item: {
      context?: Record<string, unknown> | null;
      message: { text?: string | null };
      message_code?: string | null;
      timestamp?: string | null;
    }) => {
      const context = item.context ?? {};
      const text = (key: string) =>
        typeof context[key] === 'string' ? (context[key] as string) : null;
      return {
        timestamp: timestampOf(item.timestamp),
        message: stripNul(item.message?.text),
        message_code: item.message_code ?? null,
        node_id: text('node_id'),
        source_id: text('source_id'),
        target_id: text('target_id'),
        manager_name: body.manager_name ?? null,
        agent_name: body.agent_name ?? null,
        operation: text('operation'),
      };
    };
    const newEvents: NewEvent[] = events.map((event) => ({
      ...common(event),
      operation: event.operation ?? null,
      event_type: event.event_type,
      error_causes: event.context?.task_error_causes ?? null,
    }));
    const newLogs: NewLog[] = logs.map((log) => ({
      ...common(log),
      logger: log.logger ?? null,
      level: log.level ?? null,
    }));
    await this.events.insertMany(owner, newEvents, newLogs);
    return true;
  }

  private async owner(
    body: CreateEventsDto,
    scope: TenantScope,
    tokenExecutionId?: string,
  ): Promise<EventOwner> {
    if (body.execution_group_id) {
      const group = await this.events.findOwner('execution_group', body.execution_group_id, scope);
      if (!group) throw new NotFoundError('ExecutionGroup', body.execution_group_id);
      return group;
    }
    const executionId = body.execution_id ?? tokenExecutionId;
    if (!executionId) {
      throw new ConflictError('No execution passed, and not authenticated by an execution token');
    }
    const execution = await this.events.findOwner('execution', executionId, scope);
    if (!execution) throw new NotFoundError('Execution', executionId);
    return execution;
  }
}

/** A producer timestamp as ISO text for the insert, or null (the database's now()). */
function timestampOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const parsed = parseTimestamp(
    value.includes('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`,
  );
  if (!parsed) throw new BadParametersError(`Invalid timestamp '${value}'`);
  return parsed.toISOString();
}

/** PostgreSQL text cannot hold NUL characters. */
function stripNul(text: string | null | undefined): string | null {
  return text === undefined || text === null ? null : text.replaceAll('\u0000', '');
}
