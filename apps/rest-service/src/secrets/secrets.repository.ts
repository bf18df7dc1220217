import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Secret, SecretsProvider, Tenant } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

const COLUMNS: ColumnMap = {
  key: { expression: 'secret.id' },
  created_at: { expression: 'secret.createdAt' },
  updated_at: { expression: 'secret.updatedAt' },
  resource_availability: { expression: 'secret.visibility' },
  visibility: { expression: 'secret.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
  is_hidden_value: { expression: 'secret.isHiddenValue', kind: 'boolean' },
  provider_name: { expression: 'provider.name' },
};

/** Every query on secrets, scoped to what the caller may see. */
@Injectable()
export class SecretsRepository {
  constructor(
    @InjectRepository(Secret) private readonly secrets: Repository<Secret>,
    @InjectRepository(SecretsProvider) private readonly providers: Repository<SecretsProvider>,
  ) {}

  private withNames(): SelectQueryBuilder<Secret> {
    return this.secrets
      .createQueryBuilder('secret')
      .innerJoinAndSelect('secret.tenant', 'tenant')
      .innerJoinAndSelect('secret.creator', 'creator')
      .leftJoinAndSelect('secret.secretsProvider', 'provider');
  }

  /** The caller's own tenant's secret first, then a global one of another tenant. */
  async findVisible(key: string, scope: TenantScope): Promise<Secret | null> {
    return whereVisible(this.withNames(), 'secret', scope)
      .andWhere('secret.id = :key', { key })
      .orderBy('CASE WHEN secret.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
  }

  /** The secret `key` of one tenant, whoever may see it. */
  findInTenant(key: string, tenantId: number): Promise<Secret | null> {
    return this.withNames()
      .where('secret.id = :key', { key })
      .andWhere('secret.tenantId = :tenantId', { tenantId })
      .getOne();
  }

  /** Whether `key` is taken in the tenant, or by a global secret anywhere. */
  async keyTaken(key: string, tenantId: number): Promise<boolean> {
    const count = await this.secrets
      .createQueryBuilder('secret')
      .where('secret.id = :key', { key })
      .andWhere("(secret.tenantId = :tenantId OR secret.visibility = 'global')", { tenantId })
      .getCount();
    return count > 0;
  }

  /** Whether a tenant other than `tenantId` has a secret `key` (which a global one would clash with). */
  async existsElsewhere(key: string, tenantId: number): Promise<boolean> {
    const count = await this.secrets
      .createQueryBuilder('secret')
      .where('secret.id = :key AND secret.tenantId <> :tenantId', { key, tenantId })
      .getCount();
    return count > 0;
  }

  async list(query: ListQuery, scope: TenantScope): Promise<{ items: Secret[]; total: number }> {
    const qb = applyListQuery(
      whereVisible(this.withNames(), 'secret', scope),
      query,
      COLUMNS,
      'key',
    );
    if (!query.sort.length) qb.orderBy('secret.createdAt', 'ASC').addOrderBy('secret.storageId');
    return fetchPage(qb, query);
  }

  /**
   * Every visible secret matching the query's filters and search, unpaged (export); with
   * `_all_tenants`, those of every tenant the caller belongs to (all tenants for an admin).
   */
  listAll(query: ListQuery, scope: TenantScope): Promise<Secret[]> {
    const unpaged = { ...query, sort: [], getAllResults: true };
    const visible = query.allTenants
      ? whereVisibleInAllTenants(this.withNames(), scope)
      : whereVisible(this.withNames(), 'secret', scope);
    return applyListQuery(visible, unpaged, COLUMNS, 'key')
      .orderBy('secret.createdAt', 'ASC')
      .addOrderBy('secret.storageId')
      .getMany();
  }

  /** Tenant ids by name, for the names that exist (import's target tenants). */
  async tenantIds(names: readonly string[]): Promise<Map<string, number>> {
    if (names.length === 0) return new Map();
    const rows = await this.secrets.manager
      .getRepository(Tenant)
      .find({ select: { id: true, name: true }, where: { name: In([...names]) } });
    return new Map(rows.map((tenant) => [tenant.name, tenant.id]));
  }

  /** A secrets provider by its id, as the caller sees it. */
  findProvider(id: string, scope: TenantScope): Promise<SecretsProvider | null> {
    const qb = this.providers.createQueryBuilder('provider').where('provider.id = :id', { id });
    return whereVisible(qb, 'provider', scope).getOne();
  }

  async insert(values: Partial<Secret>): Promise<void> {
    await this.secrets.insert(values as QueryDeepPartialEntity<Secret>);
  }

  async update(secret: Secret, changes: Partial<Secret>): Promise<void> {
    await this.secrets.update(
      { storageId: secret.storageId },
      changes as QueryDeepPartialEntity<Secret>,
    );
  }

  async delete(secret: Secret): Promise<void> {
    await this.secrets.delete({ storageId: secret.storageId });
  }
}

/** `whereVisible` over every tenant the caller belongs to, directly or through a group. */
function whereVisibleInAllTenants(
  qb: SelectQueryBuilder<Secret>,
  scope: TenantScope,
): SelectQueryBuilder<Secret> {
  if (scope.isAdmin) return qb;
  return qb
    .andWhere(
      `(secret.tenantId IN (SELECT ut.tenant_id FROM users_tenants ut WHERE ut.user_id = :member
          UNION SELECT gt.tenant_id FROM groups_tenants gt
            JOIN users_groups ug ON ug.group_id = gt.group_id WHERE ug.user_id = :member)
        OR secret.visibility = 'global')`,
      { member: scope.userId },
    )
    .andWhere(`(secret.visibility <> 'private' OR secret.creatorId = :member)`);
}
