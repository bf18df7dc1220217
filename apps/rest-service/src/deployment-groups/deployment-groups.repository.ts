import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Blueprint, Deployment, DeploymentGroup, DeploymentGroupLabel } from '@nestify/model';
import { LabelPair } from '../blueprints/blueprints.repository';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

/** A group with what its response shows. */
export interface DeploymentGroupRow {
  group: DeploymentGroup;
  tenantName: string;
  creatorName: string;
  blueprintId: string | null;
  deploymentIds: string[];
  labels: Array<{ key: string; value: string; createdAt: Date; creatorName: string }>;
}

const COLUMNS: ColumnMap = {
  id: { expression: 'g.id' },
  description: { expression: 'g.description' },
  default_blueprint_id: { expression: 'bp.id' },
  creation_counter: { expression: 'g.creationCounter', kind: 'number' },
  created_at: { expression: 'g.createdAt' },
  visibility: { expression: 'g.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

const MEMBERS = 'deployment_groups_deployments';

/** Deployment groups, their labels and members, scoped to what the caller may see. */
@Injectable()
export class DeploymentGroupsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private visible(scope: TenantScope): SelectQueryBuilder<DeploymentGroup> {
    const qb = this.db
      .getRepository(DeploymentGroup)
      .createQueryBuilder('g')
      .innerJoinAndSelect('g.tenant', 'tenant')
      .innerJoinAndSelect('g.creator', 'creator')
      .leftJoinAndSelect('g.defaultBlueprint', 'bp');
    return whereVisible(qb, 'g', scope);
  }

  /** The caller's own group with that id, else a global one of another tenant. */
  async findVisible(id: string, scope: TenantScope): Promise<DeploymentGroupRow | undefined> {
    const group = await this.visible(scope)
      .andWhere('g.id = :id', { id })
      .orderBy('CASE WHEN g.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    if (!group) return undefined;
    const [row] = await this.rows([group]);
    return row;
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: DeploymentGroupRow[]; total: number }> {
    const qb = applyListQuery(this.visible(scope), query, COLUMNS);
    if (!query.sort.length) qb.orderBy('g.createdAt', 'ASC');
    qb.addOrderBy('g.storageId', 'ASC');
    const { items, total } = await fetchPage(qb, query);
    return { items: await this.rows(items), total };
  }

  async insert(values: Partial<DeploymentGroup>): Promise<DeploymentGroup> {
    const repository = this.db.getRepository(DeploymentGroup);
    return repository.save(repository.create(values));
  }

  async update(group: DeploymentGroup, changes: Partial<DeploymentGroup>): Promise<void> {
    if (!Object.keys(changes).length) return;
    await this.db
      .getRepository(DeploymentGroup)
      .update({ storageId: group.storageId }, changes as QueryDeepPartialEntity<DeploymentGroup>);
  }

  async delete(group: DeploymentGroup): Promise<void> {
    await this.db.getRepository(DeploymentGroup).delete({ storageId: group.storageId });
  }

  /** Makes the group's labels exactly `labels` (kept ones keep their creation time). */
  async setLabels(group: DeploymentGroup, labels: LabelPair[], creatorId: number): Promise<void> {
    const repository = this.db.getRepository(DeploymentGroupLabel);
    const existing = await repository.find({ where: { labeledModelFk: group.storageId } });
    const wanted = new Set(labels.map(({ key, value }) => `${key}\0${value}`));
    const have = new Set(existing.map(({ key, value }) => `${key}\0${value}`));
    const stale = existing.filter(({ key, value }) => !wanted.has(`${key}\0${value}`));
    if (stale.length) await repository.delete({ id: In(stale.map((label) => label.id)) });
    const fresh = labels.filter(({ key, value }) => !have.has(`${key}\0${value}`));
    if (fresh.length) {
      await repository.insert(
        fresh.map(({ key, value }) => ({
          key,
          value,
          labeledModelFk: group.storageId,
          tenantId: group.tenantId,
          creatorId,
          visibility: group.visibility,
        })),
      );
    }
  }

  /** Storage ids of the members. */
  async memberIds(group: DeploymentGroup): Promise<number[]> {
    const rows = await this.db.query<Array<{ deployment_id: number }>>(
      `SELECT deployment_id FROM ${MEMBERS} WHERE deployment_group_id = $1`,
      [group.storageId],
    );
    return rows.map((row) => row.deployment_id);
  }

  async addMembers(group: DeploymentGroup, deploymentIds: number[]): Promise<void> {
    if (!deploymentIds.length) return;
    await this.db.query(
      `INSERT INTO ${MEMBERS} (deployment_group_id, deployment_id)
       SELECT $1, unnest($2::int[]) ON CONFLICT DO NOTHING`,
      [group.storageId, deploymentIds],
    );
  }

  async removeMembers(group: DeploymentGroup, deploymentIds?: number[]): Promise<void> {
    if (deploymentIds === undefined) {
      await this.db.query(`DELETE FROM ${MEMBERS} WHERE deployment_group_id = $1`, [
        group.storageId,
      ]);
    } else if (deploymentIds.length) {
      await this.db.query(
        `DELETE FROM ${MEMBERS} WHERE deployment_group_id = $1 AND deployment_id = ANY($2::int[])`,
        [group.storageId, deploymentIds],
      );
    }
  }

  /** The visible blueprint `id` (own tenant first), as its storage id. */
  async blueprintStorageId(id: string, scope: TenantScope): Promise<number | undefined> {
    const qb = this.db.getRepository(Blueprint).createQueryBuilder('b').where('b.id = :id', { id });
    const blueprint = await whereVisible(qb, 'b', scope)
      .orderBy('CASE WHEN b.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return blueprint?.storageId;
  }

  /** Visible deployments by display id → storage id (own tenant's preferred). */
  /** The id and `deployment_settings` of the plan of a group's default blueprint. */
  async defaultBlueprint(
    storageId: number,
  ): Promise<{ id: string; settings: Record<string, unknown> } | undefined> {
    const rows: { id: string; settings: Record<string, unknown> | null }[] = await this.db.query(
      `SELECT id, plan->'deployment_settings' AS settings FROM blueprints WHERE _storage_id = $1`,
      [storageId],
    );
    return rows[0] ? { id: rows[0].id, settings: rows[0].settings ?? {} } : undefined;
  }

  async deploymentStorageIds(ids: string[], scope: TenantScope): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (!ids.length) return found;
    const qb = this.db
      .getRepository(Deployment)
      .createQueryBuilder('d')
      .where('d.id IN (:...ids)', { ids });
    const rows = await whereVisible(qb, 'd', scope)
      .orderBy('CASE WHEN d.tenantId = :own THEN 1 ELSE 0 END')
      .setParameter('own', scope.tenantId)
      .getMany();
    for (const row of rows) found.set(row.id, row.storageId);
    return found;
  }

  private async rows(groups: DeploymentGroup[]): Promise<DeploymentGroupRow[]> {
    const ids = groups.map((group) => group.storageId);
    if (!ids.length) return [];
    const labels = await this.db.getRepository(DeploymentGroupLabel).find({
      where: { labeledModelFk: In(ids) },
      relations: { creator: true },
      order: { id: 'ASC' },
    });
    const members = await this.db.query<Array<{ group: number; id: string }>>(
      `SELECT gd.deployment_group_id AS "group", d.id AS id FROM ${MEMBERS} gd
         JOIN deployments d ON d._storage_id = gd.deployment_id
        WHERE gd.deployment_group_id = ANY($1::int[]) ORDER BY d.id`,
      [ids],
    );
    return groups.map((group) => ({
      group,
      tenantName: group.tenant?.name ?? '',
      creatorName: group.creator?.username ?? '',
      blueprintId: group.defaultBlueprint?.id ?? null,
      deploymentIds: members.filter((m) => m.group === group.storageId).map((m) => m.id),
      labels: labels
        .filter((label) => label.labeledModelFk === group.storageId)
        .map((label) => ({
          key: label.key,
          value: label.value,
          createdAt: label.createdAt,
          creatorName: label.creator?.username ?? '',
        })),
    }));
  }
}
