import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tenant, TERMINATED_OPERATION_STATES } from '@nestify/model';
import { ExecutionTokenState } from './execution-token';

/** The execution an execution token belongs to, as authentication needs it. */
export interface TokenExecution extends ExecutionTokenState {
  id: string;
  creatorId: number;
  tenantId: number;
  tenantName: string;
}

/** The few lookups authentication makes outside users and tokens: executions and tenants. */
@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The one execution whose token hashes to `tokenHash`; undefined if none (or, oddly, several). */
  async findExecutionByTokenHash(tokenHash: string): Promise<TokenExecution | undefined> {
    const rows: {
      id: string;
      status: string;
      scheduled_for: Date | null;
      creator_id: number;
      tenant_id: number;
      tenant_name: string;
      unfinished: boolean;
    }[] = await this.db.query(
      `SELECT e.id, e.status, e.scheduled_for, e._creator_id AS creator_id,
              e._tenant_id AS tenant_id, t.name AS tenant_name,
              EXISTS (
                SELECT 1 FROM tasks_graphs g
                  JOIN operations o ON o._tasks_graph_fk = g._storage_id
                 WHERE g._execution_fk = e._storage_id AND o.state <> ALL($2)
              ) AS unfinished
         FROM executions e JOIN tenants t ON t.id = e._tenant_id
        WHERE e.token = $1
        LIMIT 2`,
      [tokenHash, [...TERMINATED_OPERATION_STATES]],
    );
    if (rows.length !== 1) return undefined;
    const [row] = rows;
    return {
      id: row.id,
      status: row.status,
      scheduledFor: row.scheduled_for,
      hasUnfinishedOperations: row.unfinished,
      creatorId: row.creator_id,
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
    };
  }

  async findTenantByName(name: string): Promise<Tenant | null> {
    return this.db.getRepository(Tenant).findOneBy({ name });
  }
}
