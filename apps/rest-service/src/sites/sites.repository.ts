import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { Site } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

/** A site with the names its response shows. */
export interface SiteRow {
  site: Site;
  tenantName: string;
  creatorName: string;
}

const COLUMNS: ColumnMap = {
  name: { expression: 'site.name' },
  latitude: { expression: 'site.latitude', kind: 'number' },
  longitude: { expression: 'site.longitude', kind: 'number' },
  created_at: { expression: 'site.createdAt' },
  visibility: { expression: 'site.visibility' },
  tenant_name: { expression: 'tenant.name' },
  created_by: { expression: 'creator.username' },
};

/** Every query on sites, scoped to what the caller may see. */
@Injectable()
export class SitesRepository {
  constructor(@InjectRepository(Site) private readonly sites: Repository<Site>) {}

  private visible(scope: TenantScope): SelectQueryBuilder<Site> {
    const qb = this.sites
      .createQueryBuilder('site')
      .innerJoinAndSelect('site.tenant', 'tenant')
      .innerJoinAndSelect('site.creator', 'creator');
    return whereVisible(qb, 'site', scope);
  }

  private static row(site: Site): SiteRow {
    return { site, tenantName: site.tenant?.name ?? '', creatorName: site.creator?.username ?? '' };
  }

  async findVisible(name: string, scope: TenantScope): Promise<SiteRow | undefined> {
    // The caller's own tenant first, then a global site of another tenant.
    const site = await this.visible(scope)
      .andWhere('site.name = :name', { name })
      .orderBy('CASE WHEN site.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return site ? SitesRepository.row(site) : undefined;
  }

  /** Whether the name is taken in the tenant, or by a global site anywhere. */
  async nameTaken(name: string, scope: TenantScope): Promise<boolean> {
    const count = await this.sites
      .createQueryBuilder('site')
      .where('site.name = :name', { name })
      .andWhere("(site.tenantId = :tenant OR site.visibility = 'global')", {
        tenant: scope.tenantId,
      })
      .getCount();
    return count > 0;
  }

  async list(query: ListQuery, scope: TenantScope): Promise<{ items: SiteRow[]; total: number }> {
    const qb = applyListQuery(this.visible(scope), query, COLUMNS, 'name');
    if (!query.sort.length) qb.orderBy('site.createdAt', 'ASC').addOrderBy('site.storageId', 'ASC');
    const { items, total } = await fetchPage(qb, query);
    return { items: items.map((site) => SitesRepository.row(site)), total };
  }

  async insert(values: Partial<Site>): Promise<Site> {
    return this.sites.save(this.sites.create(values));
  }

  async update(site: Site, changes: Partial<Site>): Promise<void> {
    await this.sites.update({ storageId: site.storageId }, changes);
  }

  async delete(site: Site): Promise<void> {
    await this.sites.delete({ storageId: site.storageId });
  }
}
