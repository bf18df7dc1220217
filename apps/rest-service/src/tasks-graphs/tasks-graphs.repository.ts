import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NOP_OPERATION_TYPE, TERMINATED_OPERATION_STATES, insertOperations } from '@nestify/model';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { GraphOperationDto } from './dto/create-tasks-graph.dto';

export interface ExecutionRef {
  storageId: number;
  tenantId: number;
  creatorId: number;
  visibility: string;
}

export interface GraphRow {
  id: string;
  name: string | null;
  execution_id: string;
  created_at: Date;
  visibility: string;
  tenant_name: string;
  created_by: string;
}

const GRAPH_SELECT = `SELECT g.id, g.name, x.id AS execution_id, g.created_at, g.visibility,
    t.name AS tenant_name, u.username AS created_by
  FROM tasks_graphs g JOIN executions x ON x._storage_id = g._execution_fk
  JOIN tenants t ON t.id = g._tenant_id JOIN users u ON u.id = g._creator_id`;

/** Task graphs and their bulk-inserted operations, with the execution's operation counters. */
@Injectable()
export class TasksGraphsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findExecution(id: string, scope: TenantScope): Promise<ExecutionRef | undefined> {
    const rows: {
      _storage_id: number;
      _tenant_id: number;
      _creator_id: number;
      visibility: string;
    }[] = await this.dataSource.query(
      `SELECT _storage_id, _tenant_id, _creator_id, visibility FROM executions
          WHERE id = $1 AND _tenant_id = $2`,
      [id, scope.tenantId],
    );
    const row = rows[0];
    return row
      ? {
          storageId: row._storage_id,
          tenantId: row._tenant_id,
          creatorId: row._creator_id,
          visibility: row.visibility,
        }
      : undefined;
  }

  /**
   * Inserts the graph and its operations (one COPY) and adds the non-NOP ones to the
   * execution's total (and the already-terminated ones to its finished count), in one transaction.
   */
  async create(
    execution: ExecutionRef,
    name: string,
    operations: GraphOperationDto[],
  ): Promise<string> {
    const graphId = randomUUID();
    await this.dataSource.transaction(async (em) => {
      const [graph] = await em.query(
        `INSERT INTO tasks_graphs (id, name, _execution_fk, _tenant_id, _creator_id, visibility)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING _storage_id`,
        [
          graphId,
          name,
          execution.storageId,
          execution.tenantId,
          execution.creatorId,
          execution.visibility,
        ],
      );
      await insertOperations(em, { ...execution, graphStorageId: graph._storage_id }, operations);
      const counted = operations.filter((op) => op.type !== NOP_OPERATION_TYPE);
      const finished = counted.filter((op) =>
        (TERMINATED_OPERATION_STATES as ReadonlySet<string>).has(op.state ?? 'pending'),
      );
      await em.query(
        `UPDATE executions SET total_operations = coalesce(total_operations, 0) + $2,
            finished_operations = coalesce(finished_operations, 0) + $3
          WHERE _storage_id = $1`,
        [execution.storageId, counted.length, finished.length],
      );
    });
    return graphId;
  }

  async findVisible(id: string, scope: TenantScope): Promise<GraphRow | undefined> {
    const rows: GraphRow[] = await this.dataSource.query(
      `${GRAPH_SELECT} WHERE g.id = $1 AND g._tenant_id = $2`,
      [id, scope.tenantId],
    );
    return rows[0];
  }

  async list(
    executionStorageId: number,
    name: string | undefined,
    page: { size: number; offset: number; all: boolean },
  ): Promise<{ items: GraphRow[]; total: number }> {
    const where = `WHERE g._execution_fk = $1 AND ($2::text IS NULL OR g.name = $2)`;
    const params = [executionStorageId, name ?? null];
    const [{ total }] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM tasks_graphs g ${where}`,
      params,
    );
    const limit = page.all ? '' : `LIMIT ${page.size} OFFSET ${page.offset}`;
    const items: GraphRow[] = await this.dataSource.query(
      `${GRAPH_SELECT} ${where} ORDER BY g.created_at, g._storage_id ${limit}`,
      params,
    );
    return { items, total };
  }
}
