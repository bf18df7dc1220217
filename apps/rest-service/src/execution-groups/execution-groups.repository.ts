import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ExecutionGroup, ExecutionStatus, Log } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

/** An execution group with the names its response shows. */
export interface ExecutionGroupRow {
  group: ExecutionGroup;
  deploymentGroupId: string | null;
  tenantName: string;
  creatorName: string;
}

/** A member execution, in creation order. */
export interface GroupMember {
  id: string;
  status: string;
}

/** A deployment group as an execution group needs it. */
export interface SourceDeploymentGroup {
  storageId: number;
  visibility: ExecutionGroup['visibility'];
  deploymentIds: string[];
}

const COLUMNS: ColumnMap = {
  id: { expression: 'eg.id' },
  workflow_id: { expression: 'eg.workflowId' },
  deployment_group_id: { expression: 'dg.id' },
  concurrency: { expression: 'eg.concurrency', kind: 'number' },
  created_at: { expression: 'eg.createdAt' },
  visibility: { expression: 'eg.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

/** Every query on execution groups, scoped to what the caller may see. */
@Injectable()
export class ExecutionGroupsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private query(): SelectQueryBuilder<ExecutionGroup> {
    return this.db
      .getRepository(ExecutionGroup)
      .createQueryBuilder('eg')
      .innerJoinAndSelect('eg.tenant', 'tenant')
      .innerJoinAndSelect('eg.creator', 'creator')
      .leftJoinAndSelect('eg.deploymentGroup', 'dg');
  }

  private static row(group: ExecutionGroup): ExecutionGroupRow {
    return {
      group,
      deploymentGroupId: group.deploymentGroup?.id ?? null,
      tenantName: group.tenant?.name ?? '',
      creatorName: group.creator?.username ?? '',
    };
  }

  async findVisible(id: string, scope: TenantScope): Promise<ExecutionGroupRow | undefined> {
    const group = await whereVisible(this.query(), 'eg', scope)
      .andWhere('eg.id = :id', { id })
      .getOne();
    return group ? ExecutionGroupsRepository.row(group) : undefined;
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: ExecutionGroupRow[]; total: number }> {
    let qb = this.query();
    if (!(query.allTenants && scope.isAdmin)) qb = whereVisible(qb, 'eg', scope);
    applyListQuery(qb, query, COLUMNS);
    if (!query.sort.length) qb.orderBy('eg.createdAt', 'ASC');
    qb.addOrderBy('eg.storageId', 'ASC');
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((group) => ExecutionGroupsRepository.row(group)), total };
  }

  /** Member executions of each group (by group storage id), oldest first. */
  async members(groupStorageIds: number[]): Promise<Map<number, GroupMember[]>> {
    const members = new Map<number, GroupMember[]>(groupStorageIds.map((id) => [id, []]));
    if (!groupStorageIds.length) return members;
    const rows: { group_fk: number; id: string; status: string }[] = await this.db.query(
      `SELECT m.execution_group_id AS group_fk, e.id, e.status
         FROM execution_groups_executions m
         JOIN executions e ON e._storage_id = m.execution_id
        WHERE m.execution_group_id = ANY($1)
        ORDER BY e.created_at, e._storage_id`,
      [groupStorageIds],
    );
    for (const row of rows) members.get(row.group_fk)?.push({ id: row.id, status: row.status });
    return members;
  }

  /** A visible deployment group with the ids of its deployments, oldest first. */
  async sourceGroup(id: string, scope: TenantScope): Promise<SourceDeploymentGroup | undefined> {
    const params: unknown[] = [id, scope.tenantId];
    let privacy = '';
    if (!scope.isAdmin) {
      params.push(scope.userId);
      privacy = `AND (g.visibility <> 'private' OR g._creator_id = $3)`;
    }
    const [group]: { _storage_id: number; visibility: ExecutionGroup['visibility'] }[] =
      await this.db.query(
        `SELECT g._storage_id, g.visibility FROM deployment_groups g
          WHERE g.id = $1 AND (g._tenant_id = $2 OR g.visibility = 'global') ${privacy}
          ORDER BY CASE WHEN g._tenant_id = $2 THEN 0 ELSE 1 END LIMIT 1`,
        params,
      );
    if (!group) return undefined;
    const deployments: { id: string }[] = await this.db.query(
      `SELECT d.id FROM deployment_groups_deployments m
         JOIN deployments d ON d._storage_id = m.deployment_id
        WHERE m.deployment_group_id = $1 ORDER BY d.created_at, d._storage_id`,
      [group._storage_id],
    );
    return {
      storageId: group._storage_id,
      visibility: group.visibility,
      deploymentIds: deployments.map((d) => d.id),
    };
  }

  async insert(values: Partial<ExecutionGroup>): Promise<ExecutionGroup> {
    const repository = this.db.getRepository(ExecutionGroup);
    return repository.save(repository.create(values));
  }

  async update(storageId: number, changes: Partial<ExecutionGroup>): Promise<void> {
    if (!Object.keys(changes).length) return;
    await this.db
      .getRepository(ExecutionGroup)
      .update({ storageId }, changes as QueryDeepPartialEntity<ExecutionGroup>);
  }

  /** Makes an execution a member (inside the transaction that creates it). */
  async link(em: EntityManager, groupStorageId: number, executionStorageId: number): Promise<void> {
    await em.query(
      `INSERT INTO execution_groups_executions (execution_group_id, execution_id) VALUES ($1, $2)`,
      [groupStorageId, executionStorageId],
    );
  }

  /**
   * Adds to a deployment group the deployments of members that already ended with `status`
   * (setting a success or failure group after some members finished).
   */
  async addEndedMembersTo(
    groupStorageId: number,
    deploymentGroupFk: number,
    status: ExecutionStatus.Terminated | ExecutionStatus.Failed,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO deployment_groups_deployments (deployment_group_id, deployment_id)
       SELECT DISTINCT $2::int, e._deployment_fk FROM execution_groups_executions m
         JOIN executions e ON e._storage_id = m.execution_id
        WHERE m.execution_group_id = $1 AND e.status = $3 AND e._deployment_fk IS NOT NULL
       ON CONFLICT DO NOTHING`,
      [groupStorageId, deploymentGroupFk, status],
    );
  }

  /** A log line of the group itself (e.g. a deployment that lacks the workflow). */
  async log(group: ExecutionGroup, message: string): Promise<void> {
    const logs = this.db.getRepository(Log);
    await logs.save(
      logs.create({
        executionGroupFk: group.storageId,
        executionFk: null,
        reportedTimestamp: new Date(),
        message,
        logger: 'cloudify-restservice',
        level: 'info',
        tenantId: group.tenantId,
        creatorId: group.creatorId,
        visibility: group.visibility,
      }),
    );
  }
}
