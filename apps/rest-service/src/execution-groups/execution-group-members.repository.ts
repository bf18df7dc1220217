import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ACTIVE_EXECUTION_STATUSES, ExecutionStatus } from '@nestify/model';

const ACTIVE = [...ACTIVE_EXECUTION_STATUSES];

/**
 * The two questions the executions context asks about execution groups while it runs the queue
 * and records end states. Kept apart from the group endpoints so that executions can use it
 * without depending on the groups context (which itself starts executions).
 */
@Injectable()
export class ExecutionGroupMembersRepository {
  /** Whether a group this execution belongs to already runs as many members as it allows. */
  async groupIsFull(em: EntityManager, executionStorageId: number): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `SELECT 1 FROM execution_groups_executions m
         JOIN execution_groups g ON g._storage_id = m.execution_group_id
        WHERE m.execution_id = $1
          AND (SELECT count(*) FROM execution_groups_executions o
                 JOIN executions e ON e._storage_id = o.execution_id
                WHERE o.execution_group_id = g._storage_id AND e.status = ANY($2)) >= g.concurrency
        LIMIT 1`,
      [executionStorageId, ACTIVE],
    );
    return rows.length > 0;
  }

  /**
   * A member reached an end state: its deployment joins the success group of its execution
   * groups (terminated) or their failure group (failed); cancelled members join neither.
   */
  async memberEnded(
    em: EntityManager,
    execution: { storageId: number; deploymentFk: number | null; status: string },
  ): Promise<void> {
    if (execution.deploymentFk === null) return;
    const column =
      execution.status === ExecutionStatus.Terminated
        ? 'g._success_group_fk'
        : execution.status === ExecutionStatus.Failed
          ? 'g._failed_group_fk'
          : undefined;
    if (!column) return;
    await em.query(
      `INSERT INTO deployment_groups_deployments (deployment_group_id, deployment_id)
       SELECT DISTINCT ${column}, $2::int FROM execution_groups g
         JOIN execution_groups_executions m ON m.execution_group_id = g._storage_id
        WHERE m.execution_id = $1 AND ${column} IS NOT NULL
       ON CONFLICT DO NOTHING`,
      [execution.storageId, execution.deploymentFk],
    );
  }
}
