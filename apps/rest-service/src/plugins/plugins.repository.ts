import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Blueprint, BlueprintState, Plugin } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap } from '../common/list/list-query-builder';
import { TenantScope, whereVisible } from '../common/tenancy/tenant-scope';

/** A plugin with the names its response shows. */
export interface PluginRow {
  plugin: Plugin;
  tenantName: string;
  creatorName: string;
}

/** What makes two uploads the same plugin (Cloudify's unique index on plugins). */
export interface PluginIdentity {
  packageName: string;
  packageVersion: string | null;
  distribution: string | null;
  distributionVersion: string | null;
  distributionRelease: string | null;
}

const text = (expression: string) => ({ expression });

const COLUMNS: ColumnMap = {
  id: text('plugin.id'),
  package_name: text('plugin.packageName'),
  package_version: text('plugin.packageVersion'),
  archive_name: text('plugin.archiveName'),
  package_source: text('plugin.packageSource'),
  supported_platform: text("(plugin.supportedPlatform #>> '{}')"),
  distribution: text('plugin.distribution'),
  distribution_version: text('plugin.distributionVersion'),
  distribution_release: text('plugin.distributionRelease'),
  uploaded_at: text('plugin.uploadedAt'),
  title: text('plugin.title'),
  visibility: text('plugin.visibility'),
  resource_availability: text('plugin.visibility'),
  private_resource: { expression: "(plugin.visibility = 'private')", kind: 'boolean' },
  tenant_name: text('tenant.name'),
  created_by: text('creator.username'),
};

/** Plan lists of plugins a blueprint installs (Cloudify's check before deleting a plugin). */
const PLAN_PLUGIN_LISTS = [
  'deployment_plugins_to_install',
  'workflow_plugins_to_install',
  'host_agent_plugins_to_install',
];

/** Every query on plugins (and the plan lookup deleting one needs), scoped to the caller. */
@Injectable()
export class PluginsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private visible(scope: TenantScope): SelectQueryBuilder<Plugin> {
    const qb = this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .innerJoinAndSelect('plugin.tenant', 'tenant')
      .innerJoinAndSelect('plugin.creator', 'creator')
      .leftJoinAndSelect('plugin.installationState', 'state')
      .leftJoinAndSelect('state.manager', 'manager')
      .leftJoinAndSelect('state.agent', 'agent');
    return whereVisible(qb, 'plugin', scope);
  }

  private static row(plugin: Plugin): PluginRow {
    return {
      plugin,
      tenantName: plugin.tenant?.name ?? '',
      creatorName: plugin.creator?.username ?? '',
    };
  }

  /** The plugin `id` the caller sees: its own tenant's first, else a global one. */
  async findVisible(id: string, scope: TenantScope): Promise<PluginRow | undefined> {
    const plugin = await this.visible(scope)
      .andWhere('plugin.id = :id', { id })
      .orderBy('CASE WHEN plugin.tenantId = :own THEN 0 ELSE 1 END')
      .setParameter('own', scope.tenantId)
      .getOne();
    return plugin ? PluginsRepository.row(plugin) : undefined;
  }

  async list(query: ListQuery, scope: TenantScope): Promise<{ items: PluginRow[]; total: number }> {
    // Paging over a join to installation states would count states; page over ids first.
    const ids = this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .innerJoin('plugin.tenant', 'tenant')
      .innerJoin('plugin.creator', 'creator')
      .select('plugin.storageId', 'storage_id');
    whereVisible(ids, 'plugin', scope);
    applyListQuery(ids, query, COLUMNS, 'package_name');
    if (!query.sort.length) {
      ids.orderBy('plugin.uploadedAt', 'ASC').addOrderBy('plugin.storageId', 'ASC');
    } else ids.addOrderBy('plugin.storageId', 'ASC');
    const total = await ids.getCount();
    if (query.size === 0 && !query.getAllResults) return { items: [], total };
    const page = (await ids.getRawMany<{ storage_id: number }>()).map((row) => row.storage_id);
    if (!page.length) return { items: [], total };
    const plugins = await this.visible(scope)
      .andWhere('plugin.storageId IN (:...page)', { page })
      .getMany();
    const byId = new Map(plugins.map((plugin) => [plugin.storageId, plugin]));
    const items = page.flatMap((storageId) => {
      const plugin = byId.get(storageId);
      return plugin ? [PluginsRepository.row(plugin)] : [];
    });
    return { items, total };
  }

  /**
   * Visible plugins of a package (or, without a name, every visible plugin), for `plugin:`
   * import resolution; optionally of one distribution.
   */
  async findForImport(
    scope: TenantScope,
    packageName: string | undefined,
    distributions: string[],
  ): Promise<PluginRow[]> {
    const qb = this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .innerJoinAndSelect('plugin.tenant', 'tenant')
      .innerJoinAndSelect('plugin.creator', 'creator');
    whereVisible(qb, 'plugin', scope);
    if (packageName !== undefined)
      qb.andWhere('plugin.packageName = :packageName', { packageName });
    if (distributions.length) {
      qb.andWhere('plugin.distribution IN (:...distributions)', { distributions });
    }
    const plugins = await qb.orderBy('plugin.uploadedAt', 'DESC').getMany();
    return plugins.map((plugin) => PluginsRepository.row(plugin));
  }

  /**
   * Plugins a new upload would duplicate: same package, version and distribution, in the tenant
   * or global (or, for a global upload, in any tenant). NULLs compare equal here, unlike in the
   * table's unique index.
   */
  async findDuplicates(
    identity: PluginIdentity,
    tenantId: number,
    everyTenant: boolean,
  ): Promise<Plugin[]> {
    const qb = this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .where('plugin.packageName = :packageName', { packageName: identity.packageName });
    const nullSafe: Array<[string, string | null]> = [
      ['packageVersion', identity.packageVersion],
      ['distribution', identity.distribution],
      ['distributionVersion', identity.distributionVersion],
      ['distributionRelease', identity.distributionRelease],
    ];
    for (const [column, value] of nullSafe) {
      qb.andWhere(`plugin.${column} IS NOT DISTINCT FROM :${column}::text`, { [column]: value });
    }
    if (!everyTenant) {
      qb.andWhere("(plugin.tenantId = :tenantId OR plugin.visibility = 'global')", { tenantId });
    }
    return qb.getMany();
  }

  async idTaken(id: string, tenantId: number): Promise<boolean> {
    const count = await this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .where('plugin.id = :id', { id })
      .andWhere("(plugin.tenantId = :tenantId OR plugin.visibility = 'global')", { tenantId })
      .getCount();
    return count > 0;
  }

  /** Whether a plugin id is used in any tenant other than `tenantId`. */
  async idUsedElsewhere(id: string, tenantId: number): Promise<boolean> {
    const count = await this.db
      .getRepository(Plugin)
      .createQueryBuilder('plugin')
      .where('plugin.id = :id', { id })
      .andWhere('plugin.tenantId <> :tenantId', { tenantId })
      .getCount();
    return count > 0;
  }

  async insert(values: Partial<Plugin>): Promise<Plugin> {
    const repository = this.db.getRepository(Plugin);
    return repository.save(repository.create(values));
  }

  async update(plugin: Plugin, changes: Partial<Plugin>): Promise<void> {
    await this.db
      .getRepository(Plugin)
      .update({ storageId: plugin.storageId }, changes as QueryDeepPartialEntity<Plugin>);
  }

  async delete(plugin: Plugin): Promise<void> {
    await this.db.getRepository(Plugin).delete({ storageId: plugin.storageId });
  }

  /**
   * Ids of uploaded blueprints whose plan installs the package (same name; same version, or
   * none given in the plan): those of the plugin's tenant and global ones, or every tenant's
   * for a global plugin. Reads the blueprints table directly — the blueprints context imports
   * this one, so asking it would be a cycle.
   */
  async blueprintsUsing(plugin: Plugin): Promise<string[]> {
    const vars = JSON.stringify({ name: plugin.packageName, version: plugin.packageVersion });
    const filter =
      '[*] ? (@.package_name == $name && (@.package_version == $version || @.package_version == null || !exists(@.package_version)))';
    const qb = this.db
      .getRepository(Blueprint)
      .createQueryBuilder('blueprint')
      .select('blueprint.id', 'id')
      .where('blueprint.state = :uploaded', { uploaded: BlueprintState.Uploaded })
      .andWhere(
        new Brackets((where) => {
          for (const list of PLAN_PLUGIN_LISTS) {
            where.orWhere(
              `jsonb_path_exists(blueprint.plan, CAST(:path_${list} AS jsonpath), CAST(:vars AS jsonb))`,
              { [`path_${list}`]: `$.${list}${filter}`, vars },
            );
          }
        }),
      );
    if (plugin.visibility !== 'global') {
      qb.andWhere("(blueprint.tenantId = :tenantId OR blueprint.visibility = 'global')", {
        tenantId: plugin.tenantId,
      });
    }
    const rows = await qb.orderBy('blueprint.id', 'ASC').getRawMany<{ id: string }>();
    return [...new Set(rows.map((row) => row.id))];
  }
}
