import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TenantScope } from '../common/tenancy/tenant-scope';

export interface OperationRow {
  storage_id: number;
  id: string;
  name: string | null;
  state: string;
  type: string | null;
  dependencies: string[] | null;
  parameters: Record<string, unknown> | null;
  manager_name: string | null;
  agent_name: string | null;
  tasks_graph_id: string;
  execution_id: string;
  execution_storage_id: number;
  graph_storage_id: number;
  created_at: Date;
  visibility: string;
  tenant_id: number;
  creator_id: number;
  tenant_name: string;
  created_by: string;
}

const SELECT = `SELECT o._storage_id AS storage_id, o.id, o.name, o.state, o.type, o.dependencies,
    o.parameters, o.manager_name, o.agent_name, g.id AS tasks_graph_id, x.id AS execution_id,
    x._storage_id AS execution_storage_id, g._storage_id AS graph_storage_id, o.created_at,
    o.visibility, o._tenant_id AS tenant_id, o._creator_id AS creator_id,
    t.name AS tenant_name, u.username AS created_by
  FROM operations o JOIN tasks_graphs g ON g._storage_id = o._tasks_graph_fk
  JOIN executions x ON x._storage_id = g._execution_fk
  JOIN tenants t ON t.id = o._tenant_id JOIN users u ON u.id = o._creator_id`;

/** Stored workflow tasks, and what their state changes write (counters, node states, events). */
@Injectable()
export class OperationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async find(
    id: string,
    scope: TenantScope,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<OperationRow | undefined> {
    const rows: OperationRow[] = await em.query(
      `${SELECT} WHERE o.id = $1 AND o._tenant_id = $2 ORDER BY o._storage_id DESC LIMIT 1
       ${lock ? 'FOR UPDATE OF o' : ''}`,
      [id, scope.tenantId],
    );
    return rows[0];
  }

  async list(
    filter: {
      graphStorageId?: number;
      executionStorageId?: number;
      state?: string;
      types?: string[];
    },
    page: { size: number; offset: number; all: boolean },
  ): Promise<{ items: OperationRow[]; total: number }> {
    const where = `WHERE ($1::int IS NULL OR g._storage_id = $1)
        AND ($2::int IS NULL OR x._storage_id = $2)
        AND ($3::text IS NULL OR o.state = $3)
        AND ($4::text[] IS NULL OR o.type = ANY($4))`;
    const params = [
      filter.graphStorageId ?? null,
      filter.executionStorageId ?? null,
      filter.state ?? null,
      filter.types ?? null,
    ];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM operations o
         JOIN tasks_graphs g ON g._storage_id = o._tasks_graph_fk
         JOIN executions x ON x._storage_id = g._execution_fk ${where}`,
      params,
    );
    const limit = page.all ? '' : `LIMIT ${page.size} OFFSET ${page.offset}`;
    const items: OperationRow[] = await this.dataSource.query(
      `${SELECT} ${where} ORDER BY o.created_at, o._storage_id ${limit}`,
      params,
    );
    return { items, total };
  }

  async findGraph(
    id: string,
    scope: TenantScope,
  ): Promise<
    | {
        storageId: number;
        executionStorageId: number;
        tenantId: number;
        creatorId: number;
        visibility: string;
      }
    | undefined
  > {
    const rows = await this.dataSource.query(
      `SELECT _storage_id, _execution_fk, _tenant_id, _creator_id, visibility FROM tasks_graphs
        WHERE id = $1 AND _tenant_id = $2`,
      [id, scope.tenantId],
    );
    const row = rows[0];
    return row
      ? {
          storageId: row._storage_id,
          executionStorageId: row._execution_fk,
          tenantId: row._tenant_id,
          creatorId: row._creator_id,
          visibility: row.visibility,
        }
      : undefined;
  }

  async findExecutionStorageId(id: string, scope: TenantScope): Promise<number | undefined> {
    const rows = await this.dataSource.query(
      `SELECT _storage_id FROM executions WHERE id = $1 AND _tenant_id = $2`,
      [id, scope.tenantId],
    );
    return rows[0]?._storage_id;
  }

  async insert(
    em: EntityManager,
    values: {
      id: string;
      name: string;
      type: string | null;
      dependencies: string[];
      parameters: Record<string, unknown> | null;
      graphStorageId: number;
      tenantId: number;
      creatorId: number;
      visibility: string;
    },
  ): Promise<void> {
    await em.query(
      `INSERT INTO operations (id, name, state, type, dependencies, parameters, _tasks_graph_fk,
          _tenant_id, _creator_id, visibility)
       VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7, $8, $9)`,
      [
        values.id,
        values.name,
        values.type,
        values.dependencies,
        values.parameters,
        values.graphStorageId,
        values.tenantId,
        values.creatorId,
        values.visibility,
      ],
    );
  }

  async update(
    em: EntityManager,
    storageId: number,
    changes: {
      state: string;
      managerName: string | null;
      agentName: string | null;
      parameters: Record<string, unknown> | null;
    },
  ): Promise<void> {
    await em.query(
      `UPDATE operations SET state = $2, manager_name = $3, agent_name = $4, parameters = $5
        WHERE _storage_id = $1`,
      [storageId, changes.state, changes.managerName, changes.agentName, changes.parameters],
    );
  }

  async delete(em: EntityManager, storageId: number): Promise<void> {
    await em.query(`DELETE FROM operations WHERE _storage_id = $1`, [storageId]);
  }

  /** Adds to an execution's finished/total operation counters (NULL counts start at 0). */
  async addToCounts(
    em: EntityManager,
    executionStorageId: number,
    finished: number,
    total: number,
  ): Promise<void> {
    await em.query(
      `UPDATE executions SET finished_operations = coalesce(finished_operations, 0) + $2,
          total_operations = coalesce(total_operations, 0) + $3
        WHERE _storage_id = $1`,
      [executionStorageId, finished, total],
    );
  }

  /** A SetNodeInstanceStateTask succeeded: the instance takes its state (version +1). */
  async setNodeInstanceState(
    em: EntityManager,
    tenantId: number,
    nodeInstanceId: string,
    state: string,
  ): Promise<void> {
    const now = new Date().toISOString();
    let systemProperties = `system_properties`;
    const params: unknown[] = [nodeInstanceId, tenantId, state];
    if (state === 'configured') {
      params.push(JSON.stringify({ ok: true, result: null, task: null, timestamp: now }));
      systemProperties = `jsonb_set(coalesce(system_properties, '{}'::jsonb), '{configuration_drift}', $4::jsonb)`;
    } else if (state === 'started') {
      params.push(JSON.stringify({ ok: true, result: null, task: null, timestamp: now }));
      systemProperties = `jsonb_set(jsonb_set(coalesce(system_properties, '{}'::jsonb), '{previous_status}', 'null'::jsonb), '{status}', $4::jsonb)`;
    }
    await em.query(
      `UPDATE node_instances SET state = $3, system_properties = ${systemProperties},
          version = version + 1
        WHERE id = $1 AND _tenant_id = $2`,
      params,
    );
  }

  async insertEvent(
    em: EntityManager,
    values: {
      executionStorageId: number;
      tenantId: number;
      creatorId: number;
      visibility: string;
      eventType: string;
      message: string;
      operation: string | null;
      nodeId: string | null;
      sourceId: string | null;
      targetId: string | null;
      errorCauses: unknown;
      managerName: string | null;
      agentName: string | null;
    },
  ): Promise<void> {
    await em.query(
      `INSERT INTO events (timestamp, reported_timestamp, event_type, message, operation, node_id,
          source_id, target_id, error_causes, manager_name, agent_name, _execution_fk, _tenant_id,
          _creator_id, visibility)
       VALUES (now(), now(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        values.eventType,
        values.message,
        values.operation,
        values.nodeId,
        values.sourceId,
        values.targetId,
        values.errorCauses === undefined || values.errorCauses === null
          ? null
          : JSON.stringify(values.errorCauses),
        values.managerName,
        values.agentName,
        values.executionStorageId,
        values.tenantId,
        values.creatorId,
        values.visibility,
      ],
    );
  }
}
