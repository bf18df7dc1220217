import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { InterDeploymentDependency } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { SqlParams, visibleSql } from '../common/tenancy/tenant-sql';

/** A dependency with the names its response shows. */
export interface DependencyRow {
  dependency: InterDeploymentDependency;
  sourceId: string | null;
  targetId: string | null;
  tenantName: string;
  creatorName: string;
}

/** A dependency that keeps its target from being deleted. */
export interface BlockingDependency {
  dependencyCreator: string;
  sourceId: string | null;
  externalSource: unknown;
}

const COLUMNS: ColumnMap = {
  id: { expression: 'idd.id' },
  dependency_creator: { expression: 'idd.dependencyCreator' },
  source_deployment_id: { expression: 'src.id' },
  target_deployment_id: { expression: 'tgt.id' },
  created_at: { expression: 'idd.createdAt' },
  visibility: { expression: 'idd.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

/** Workflows whose run on the source releases its hold on the target (Cloudify's list). */
const RELEASING_WORKFLOWS = ['stop', 'uninstall', 'update', 'csys_new_deployment_update', 'heal'];

/** Every query on inter-deployment dependencies, scoped to what the caller may see. */
@Injectable()
export class InterDeploymentDependenciesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  private visible(scope: TenantScope): SelectQueryBuilder<InterDeploymentDependency> {
    const qb = this.db
      .getRepository(InterDeploymentDependency)
      .createQueryBuilder('idd')
      .innerJoinAndSelect('idd.tenant', 'tenant')
      .innerJoinAndSelect('idd.creator', 'creator')
      .leftJoinAndSelect('idd.sourceDeployment', 'src')
      .leftJoinAndSelect('idd.targetDeployment', 'tgt');
    return whereVisible(qb, 'idd', scope);
  }

  private static row(dependency: InterDeploymentDependency): DependencyRow {
    return {
      dependency,
      sourceId: dependency.sourceDeployment?.id ?? null,
      targetId: dependency.targetDeployment?.id ?? null,
      tenantName: dependency.tenant?.name ?? '',
      creatorName: dependency.creator?.username ?? '',
    };
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: DependencyRow[]; total: number }> {
    const qb = applyListQuery(this.visible(scope), query, COLUMNS, 'id');
    if (!query.sort.length) qb.orderBy('idd.createdAt', 'ASC');
    qb.addOrderBy('idd.storageId', 'ASC');
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((d) => InterDeploymentDependenciesRepository.row(d)), total };
  }

  async findByStorageId(storageId: number): Promise<DependencyRow> {
    const dependency = await this.db
      .getRepository(InterDeploymentDependency)
      .createQueryBuilder('idd')
      .innerJoinAndSelect('idd.tenant', 'tenant')
      .innerJoinAndSelect('idd.creator', 'creator')
      .leftJoinAndSelect('idd.sourceDeployment', 'src')
      .leftJoinAndSelect('idd.targetDeployment', 'tgt')
      .where('idd.storageId = :storageId', { storageId })
      .getOneOrFail();
    return InterDeploymentDependenciesRepository.row(dependency);
  }

  /** The storage id of a deployment the caller sees (its own tenant's first). */
  async deploymentStorageId(id: string, scope: TenantScope): Promise<number | undefined> {
    const params = new SqlParams();
    const idParam = params.add(id);
    const own = params.add(scope.tenantId);
    const rows: { _storage_id: number }[] = await this.db.query(
      `SELECT d._storage_id FROM deployments d
        WHERE d.id = ${idParam} AND ${visibleSql('d', scope, params)}
        ORDER BY CASE WHEN d._tenant_id = ${own} THEN 0 ELSE 1 END LIMIT 1`,
      params.values,
    );
    return rows[0]?._storage_id;
  }

  /** Whether `from` depends on `to`, directly or through other deployments. */
  async dependsOn(em: EntityManager, from: number, to: number): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `WITH RECURSIVE reach(fk) AS (
         SELECT _target_deployment FROM inter_deployment_dependencies
          WHERE _source_deployment = $1 AND _target_deployment IS NOT NULL
         UNION
         SELECT i._target_deployment FROM inter_deployment_dependencies i
           JOIN reach r ON i._source_deployment = r.fk
          WHERE i._target_deployment IS NOT NULL)
       SELECT 1 FROM reach WHERE fk = $2 LIMIT 1`,
      [from, to],
    );
    return rows.length > 0;
  }

  async insert(
    em: EntityManager,
    values: Partial<InterDeploymentDependency>,
  ): Promise<InterDeploymentDependency> {
    const repository = em.getRepository(InterDeploymentDependency);
    return repository.save(repository.create(values));
  }

  async deleteBySource(em: EntityManager, sourceFk: number, tenantId: number): Promise<void> {
    await em
      .getRepository(InterDeploymentDependency)
      .delete({ sourceDeploymentFk: sourceFk, tenantId });
  }

  /** The storage id of the dependency matching creator, source and target, visible to the caller. */
  async findMatching(
    match: { dependencyCreator: string; sourceFk: number; targetFk: number | null },
    scope: TenantScope,
  ): Promise<number | undefined> {
    const qb = this.visible(scope)
      .andWhere('idd.dependencyCreator = :creator', { creator: match.dependencyCreator })
      .andWhere('idd.sourceDeploymentFk = :source', { source: match.sourceFk });
    if (match.targetFk !== null) {
      qb.andWhere('idd.targetDeploymentFk = :target', { target: match.targetFk });
    }
    return (await qb.orderBy('idd.storageId', 'ASC').getOne())?.storageId;
  }

  async delete(storageId: number): Promise<void> {
    await this.db.getRepository(InterDeploymentDependency).delete({ storageId });
  }

  /**
   * Up to `limit` dependencies on the deployment that block deleting it: every one whose source
   * is not itself being stopped, uninstalled, updated or healed right now.
   */
  async blocking(targetFk: number, limit = 3): Promise<BlockingDependency[]> {
    const rows: {
      dependency_creator: string;
      source_id: string | null;
      external_source: unknown;
    }[] = await this.db.query(
      `SELECT i.dependency_creator, s.id AS source_id, i.external_source
           FROM inter_deployment_dependencies i
           LEFT JOIN deployments s ON s._storage_id = i._source_deployment
          WHERE i._target_deployment = $1
            AND NOT EXISTS (SELECT 1 FROM executions e
                             WHERE e._deployment_fk = i._source_deployment
                               AND e.status IN ('started', 'pending', 'queued')
                               AND e.workflow_id = ANY($2))
          ORDER BY i._storage_id LIMIT $3`,
      [targetFk, RELEASING_WORKFLOWS, limit],
    );
    return rows.map((r) => ({
      dependencyCreator: r.dependency_creator,
      sourceId: r.source_id,
      externalSource: r.external_source,
    }));
  }
}
