import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { EventsQuery } from './events-query';

/** A row of the events/logs union with the names its item shows. */
export interface EventRow {
  type: 'cloudify_event' | 'cloudify_log';
  _storage_id: number;
  timestamp: Date;
  reported_timestamp: Date;
  message: string | null;
  operation: string | null;
  source_id: string | null;
  target_id: string | null;
  manager_name: string | null;
  agent_name: string | null;
  event_type: string | null;
  error_causes: unknown;
  logger: string | null;
  level: string | null;
  execution_id: string | null;
  workflow_id: string | null;
  blueprint_id: string | null;
  execution_group_id: string | null;
  deployment_id: string | null;
  deployment_display_name: string | null;
  node_instance_id: string | null;
  node_name: string | null;
}

/** Columns of one side of the union; the other side's own columns are NULL. */
const EVENT_SIDE = `'cloudify_event'::text AS type, t.event_type, t.error_causes, NULL::text AS logger, NULL::text AS level`;
const LOG_SIDE = `'cloudify_log'::text AS type, NULL::text AS event_type, NULL::jsonb AS error_causes, t.logger, t.level`;
const SHARED = `t._storage_id, t.timestamp, t.reported_timestamp, t.message, t.operation, t.node_id,
  t.source_id, t.target_id, t.manager_name, t.agent_name, t._tenant_id, t.visibility, t._creator_id,
  t._execution_fk, t._execution_group_fk`;

/** Sortable fields and their SQL. */
const SORT_COLUMNS: Record<string, string> = {
  _storage_id: 'o._storage_id',
  timestamp: 'o.timestamp',
  reported_timestamp: 'o.reported_timestamp',
  type: 'o.type',
  message: 'o.message',
  event_type: 'o.event_type',
  logger: 'o.logger',
  level: 'o.level',
  operation: 'o.operation',
  source_id: 'o.source_id',
  target_id: 'o.target_id',
  execution_id: 'x.id',
  workflow_id: 'x.workflow_id',
  blueprint_id: 'x.blueprint_id',
  deployment_id: 'd.id',
  deployment_display_name: 'd.display_name',
  execution_group_id: 'g.id',
  node_instance_id: 'ni.id',
  node_name: 'n.id',
  manager_name: 'o.manager_name',
  agent_name: 'o.agent_name',
  error_causes: 'o.error_causes::text',
};

const EQUALITY_COLUMNS: Record<string, string> = {
  execution_id: 'x.id',
  execution_group_id: 'g.id',
  deployment_id: 'd.id',
  blueprint_id: 'x.blueprint_id',
  node_id: 'o.node_id',
  node_instance_id: 'o.node_id',
  event_type: 'o.event_type',
  level: 'o.level',
};

/** The item columns of a read (GET /events and the stream). */
const ITEM_COLUMNS = `o.type, o._storage_id, o.timestamp, o.reported_timestamp, o.message,
  o.operation, o.source_id, o.target_id, o.manager_name, o.agent_name, o.event_type,
  o.error_causes, o.logger, o.level, x.id AS execution_id, x.workflow_id, x.blueprint_id,
  g.id AS execution_group_id, d.id AS deployment_id, d.display_name AS deployment_display_name,
  ni.id AS node_instance_id, n.id AS node_name`;

/** Builds a parameterised WHERE clause: values never reach the SQL text. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string): void {
    this.clauses.push(clause);
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toSql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/**
 * Events and logs read together (one union, joined to their execution, deployment and node
 * instance), scoped to the caller's tenant and visibility.
 */
@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private from(query: EventsQuery, scope: TenantScope, where: Where): string {
    const sides = [];
    if (query.types.includes('cloudify_event'))
      sides.push(`SELECT ${EVENT_SIDE}, ${SHARED} FROM events t`);
    if (query.types.includes('cloudify_log'))
      sides.push(`SELECT ${LOG_SIDE}, ${SHARED} FROM logs t`);
    where.add(`(o._tenant_id = ${where.param(scope.tenantId)} OR o.visibility = 'global')`);
    if (!scope.isAdmin)
      where.add(`(o.visibility <> 'private' OR o._creator_id = ${where.param(scope.userId)})`);
    for (const [name, values] of Object.entries(query.equals)) {
      if (values?.length) where.add(`${EQUALITY_COLUMNS[name]} = ANY(${where.param(values)})`);
    }
    for (const { column, values } of query.patterns) {
      where.add(`(${values.map((v) => `o.${column} ILIKE ${where.param(v)}`).join(' OR ')})`);
    }
    if (query.from) where.add(`o.timestamp >= ${where.param(query.from)}`);
    if (query.to) where.add(`o.timestamp < ${where.param(query.to)}`);
    return `FROM (${sides.join(' UNION ALL ')}) o
      LEFT JOIN executions x ON x._storage_id = o._execution_fk
      LEFT JOIN execution_groups g ON g._storage_id = o._execution_group_fk
      LEFT JOIN deployments d ON d._storage_id = x._deployment_fk
      LEFT JOIN node_instances ni ON ni.id = o.node_id AND ni._tenant_id = o._tenant_id
      LEFT JOIN nodes n ON n._storage_id = ni._node_fk
      ${where.toSql()}`;
  }

  async list(
    query: EventsQuery,
    scope: TenantScope,
  ): Promise<{ items: EventRow[]; total: number }> {
    const countWhere = new Where();
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total ${this.from(query, scope, countWhere)}`,
      countWhere.params,
    );
    if ((query.size === 0 && !query.getAllResults) || total === 0) return { items: [], total };
    const where = new Where();
    const from = this.from(query, scope, where);
    const order = query.sort.map(
      ({ field, direction }) => `${SORT_COLUMNS[field] ?? 'o.timestamp'} ${direction}`,
    );
    // Ties keep the order they were stored in, in the direction of the last sort key.
    const last = query.sort[query.sort.length - 1]?.direction ?? 'ASC';
    order.push(`o._storage_id ${last}`, `o.type ${last}`);
    const page = query.getAllResults
      ? ''
      : `LIMIT ${where.param(query.size)} OFFSET ${where.param(query.offset)}`;
    const items: EventRow[] = await this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} ${from} ORDER BY ${order.join(', ')} ${page}`,
      where.params,
    );
    return { items, total };
  }

  /**
   * The stream's read: up to `limit` rows of one table (`query.types` names it) stored after
   * `afterStorageId`, in storage-id order, through the same filters and scoping as `list`.
   */
  async listStoredAfter(
    query: EventsQuery,
    scope: TenantScope,
    afterStorageId: number,
    limit: number,
  ): Promise<EventRow[]> {
    const where = new Where();
    where.add(`o._storage_id > ${where.param(afterStorageId)}`);
    const from = this.from(query, scope, where);
    return this.dataSource.query(
      `SELECT ${ITEM_COLUMNS} ${from} ORDER BY o._storage_id LIMIT ${where.param(limit)}`,
      where.params,
    );
  }

  /** An execution the caller may see (tenant, global, private rules), with its status. */
  async findVisibleExecution(
    id: string,
    scope: TenantScope,
  ): Promise<{ storageId: number; status: string } | undefined> {
    const rows: { storageId: number; status: string }[] = await this.dataSource.query(
      `SELECT _storage_id AS "storageId", status FROM executions
        WHERE id = $1 AND (_tenant_id = $2 OR visibility = 'global')
          AND ($3 OR visibility <> 'private' OR _creator_id = $4)
        LIMIT 1`,
      [id, scope.tenantId, scope.isAdmin, scope.userId],
    );
    return rows[0];
  }

  /** Whether the execution's closing workflow event (succeeded/failed/cancelled) is stored. */
  async hasWorkflowEndEvent(executionStorageId: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM events WHERE _execution_fk = $1
          AND event_type IN ('workflow_succeeded', 'workflow_failed', 'workflow_cancelled')
        LIMIT 1`,
      [executionStorageId],
    );
    return rows.length > 0;
  }

  /** Deletes the events and/or logs of a deployment's executions in the caller's tenant. */
  async deleteForDeployment(
    deploymentId: string,
    types: string[],
    scope: TenantScope,
  ): Promise<number> {
    let deleted = 0;
    for (const table of types.map((type) => (type === 'cloudify_event' ? 'events' : 'logs'))) {
      const [, count] = await this.dataSource.query(
        `DELETE FROM ${table} t USING executions x, deployments d
         WHERE t._execution_fk = x._storage_id AND x._deployment_fk = d._storage_id
           AND d.id = $1 AND d._tenant_id = $2`,
        [deploymentId, scope.tenantId],
      );
      deleted += Number(count);
    }
    return deleted;
  }

  /** The execution (or execution group) events are posted for, in the caller's tenant. */
  async findOwner(
    kind: 'execution' | 'execution_group',
    id: string,
    scope: TenantScope,
  ): Promise<EventOwner | undefined> {
    const table = kind === 'execution' ? 'executions' : 'execution_groups';
    const rows: {
      _storage_id: number;
      _tenant_id: number;
      _creator_id: number;
      visibility: string;
    }[] = await this.dataSource.query(
      `SELECT _storage_id, _tenant_id, _creator_id, visibility FROM ${table}
          WHERE id = $1 AND (_tenant_id = $2 OR visibility = 'global') LIMIT 1`,
      [id, scope.tenantId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      executionFk: kind === 'execution' ? row._storage_id : null,
      executionGroupFk: kind === 'execution_group' ? row._storage_id : null,
      tenantId: row._tenant_id,
      creatorId: row._creator_id,
      visibility: row.visibility,
    };
  }

  /**
   * Inserts a batch: one multi-row INSERT per table (rows travel as one JSON parameter, in the
   * order given), in one
   * transaction; `reported_timestamp` is the insert time.
   */
  async insertMany(owner: EventOwner, events: NewEvent[], logs: NewLog[]): Promise<void> {
    const shared = [
      owner.executionFk,
      owner.executionGroupFk,
      owner.tenantId,
      owner.creatorId,
      owner.visibility,
    ];
    await this.dataSource.transaction(async (em) => {
      if (events.length) {
        await em.query(
          `INSERT INTO events (timestamp, reported_timestamp, event_type, message, message_code,
              operation, node_id, source_id, target_id, error_causes, manager_name, agent_name,
              _execution_fk, _execution_group_fk, _tenant_id, _creator_id, visibility)
           SELECT coalesce(r.timestamp, now()), now(), r.event_type, r.message, r.message_code,
                  r.operation, r.node_id, r.source_id, r.target_id, r.error_causes, r.manager_name,
                  r.agent_name, $2, $3, $4, $5, $6
             FROM jsonb_to_recordset($1::jsonb) AS r(timestamp timestamptz,
                  event_type text, message text, message_code text, operation text, node_id text,
                  source_id text, target_id text, error_causes jsonb, manager_name text,
                  agent_name text)`,
          [JSON.stringify(events), ...shared],
        );
      }
      if (logs.length) {
        await em.query(
          `INSERT INTO logs (timestamp, reported_timestamp, logger, level, message, message_code,
              operation, node_id, source_id, target_id, manager_name, agent_name,
              _execution_fk, _execution_group_fk, _tenant_id, _creator_id, visibility)
           SELECT coalesce(r.timestamp, now()), now(), r.logger, r.level, r.message, r.message_code,
                  r.operation, r.node_id, r.source_id, r.target_id, r.manager_name, r.agent_name,
                  $2, $3, $4, $5, $6
             FROM jsonb_to_recordset($1::jsonb) AS r(timestamp timestamptz,
                  logger text, level text, message text, message_code text, operation text,
                  node_id text, source_id text, target_id text, manager_name text,
                  agent_name text)`,
          [JSON.stringify(logs), ...shared],
        );
      }
    });
  }
}

/** Who owns posted events: tenant, creator and visibility are copied from it. */
export interface EventOwner {
  executionFk: number | null;
  executionGroupFk: number | null;
  tenantId: number;
  creatorId: number;
  visibility: string;
}

interface NewOutput {
  timestamp: string | null;
  message: string | null;
  message_code: string | null;
  operation: string | null;
  node_id: string | null;
  source_id: string | null;
  target_id: string | null;
  manager_name: string | null;
  agent_name: string | null;
}

export interface NewEvent extends NewOutput {
  event_type: string;
  error_causes: unknown;
}

export interface NewLog extends NewOutput {
  logger: string | null;
  level: string | null;
}
