import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { BlueprintsFilter, DeploymentsFilter } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';
import { FilteredResource } from './filter-rules';

export type StoredFilter = DeploymentsFilter | BlueprintsFilter;

/** A filter with the names its response shows. */
export interface FilterRow {
  filter: StoredFilter;
  tenantName: string;
  creatorName: string;
}

const COLUMNS: ColumnMap = {
  id: { expression: 'filter.id' },
  is_system_filter: { expression: 'filter.isSystemFilter', kind: 'boolean' },
  created_at: { expression: 'filter.createdAt' },
  updated_at: { expression: 'filter.updatedAt' },
  visibility: { expression: 'filter.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
  value: { expression: 'filter.value::text' },
};

const ENTITIES = { deployments: DeploymentsFilter, blueprints: BlueprintsFilter } as const;

/** Saved filters of deployments and blueprints, scoped to what the caller may see. */
@Injectable()
export class FiltersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private repository(resource: FilteredResource): Repository<StoredFilter> {
    return this.db.getRepository<StoredFilter>(ENTITIES[resource]);
  }

  private visible(
    resource: FilteredResource,
    scope: TenantScope,
  ): SelectQueryBuilder<StoredFilter> {
    const qb = this.repository(resource)
      .createQueryBuilder('filter')
      .innerJoinAndSelect('filter.tenant', 'tenant')
      .innerJoinAndSelect('filter.creator', 'creator');
    return whereVisible(qb, 'filter', scope);
  }

  private static row(filter: StoredFilter): FilterRow {
    return {
      filter,
      tenantName: filter.tenant?.name ?? '',
      creatorName: filter.creator?.username ?? '',
    };
  }

  /** The caller's own filter with that id, else a global one of another tenant. */
  async findVisible(
    resource: FilteredResource,
    id: string,
    scope: TenantScope,
  ): Promise<FilterRow | undefined> {
    const filter = await this.visible(resource, scope)
      .andWhere('filter.id = :id', { id })
      .orderBy('CASE WHEN filter.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return filter ? FiltersRepository.row(filter) : undefined;
  }

  /** Whether the id is taken in the tenant, or by a global filter anywhere. */
  async idTaken(resource: FilteredResource, id: string, scope: TenantScope): Promise<boolean> {
    const count = await this.repository(resource)
      .createQueryBuilder('filter')
      .where('filter.id = :id', { id })
      .andWhere("(filter.tenantId = :tenant OR filter.visibility = 'global')", {
        tenant: scope.tenantId,
      })
      .getCount();
    return count > 0;
  }

  async list(
    resource: FilteredResource,
    query: ListQuery,
    scope: TenantScope,
  ): Promise<{ items: FilterRow[]; total: number }> {
    const qb = applyListQuery(this.visible(resource, scope), query, COLUMNS, 'id');
    if (!query.sort.length) qb.orderBy('filter.createdAt', 'ASC');
    qb.addOrderBy('filter.storageId', 'ASC');
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((filter) => FiltersRepository.row(filter)), total };
  }

  async insert(resource: FilteredResource, values: Partial<StoredFilter>): Promise<void> {
    await this.repository(resource).insert(values as QueryDeepPartialEntity<StoredFilter>);
  }

  async update(
    resource: FilteredResource,
    filter: StoredFilter,
    changes: Partial<StoredFilter>,
  ): Promise<void> {
    await this.repository(resource).update(
      { storageId: filter.storageId },
      changes as QueryDeepPartialEntity<StoredFilter>,
    );
  }

  async delete(resource: FilteredResource, filter: StoredFilter): Promise<void> {
    await this.repository(resource).delete({ storageId: filter.storageId });
  }
}
