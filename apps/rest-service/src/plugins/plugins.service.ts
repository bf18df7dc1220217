import { Injectable } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConflictError,
  ForbiddenError,
  formatTimestamp,
  IllegalActionError,
  NotFoundError,
  Visibility,
} from '@nestify/common';
import { Plugin } from '@nestify/model';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { FileServerService } from '../resources/file-server.service';
import { PluginResponseDto } from './dto/plugin-response.dto';
import { PluginInUseError } from './plugin-errors';
import { PluginFiles } from './plugin-files';
import { pickYamlFile } from './plugin-package';
import { PluginRow, PluginsRepository } from './plugins.repository';

const VISIBILITY_RANK: Record<Visibility, number> = { private: 0, tenant: 1, global: 2 };

/**
 * How a blueprint imports exactly this plugin: `plugin:<name>?version=<v>&distribution=<d>`
 * (Cloudify prints `None` for a missing part; we leave it out).
 */
export function importUrl(plugin: Plugin): string {
  const params = new URLSearchParams();
  if (plugin.packageVersion !== null) params.set('version', plugin.packageVersion);
  if (plugin.distribution !== null) params.set('distribution', plugin.distribution);
  const query = params.toString();
  return `plugin:${plugin.packageName}${query ? `?${query}` : ''}`;
}

/** A stored file of a plugin to send back. */
export interface PluginFile {
  path: string;
  filename: string;
}

/** Uploaded plugins: read, delete, download, visibility. */
@Injectable()
export class PluginsService {
  constructor(
    private readonly plugins: PluginsRepository,
    private readonly pluginFiles: PluginFiles,
    private readonly files: FileServerService,
  ) {}

  async get(id: string, scope: TenantScope): Promise<PluginResponseDto> {
    return this.toResponse(await this.require(id, scope));
  }

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<PluginResponseDto>>> {
    const { items, total } = await this.plugins.list(query, scope);
    const responses = await Promise.all(items.map((row) => this.toResponse(row)));
    return listEnvelope(responses, total, query);
  }

  /**
   * Deletes a plugin, its states and its files. Refused (plugin_in_use) while an uploaded
   * blueprint installs it, unless `force`.
   */
  async delete(id: string, force: boolean, scope: TenantScope): Promise<void> {
    const row = await this.require(id, scope);
    const { plugin } = row;
    this.checkModifiable(row, scope);
    if (!force) {
      const users = await this.plugins.blueprintsUsing(plugin);
      if (users.length) {
        throw new PluginInUseError(
          `Plugin "${plugin.id}" is currently in use in blueprints: ${users.join(', ')}. You can "force" plugin removal if needed.`,
        );
      }
    }
    await this.plugins.delete(plugin);
    await this.files.remove(this.pluginFiles.dir(row.tenantName, plugin.id));
  }

  /** The stored package file (wagon, npm tarball or zip). */
  async archive(id: string, scope: TenantScope): Promise<PluginFile> {
    const { plugin, tenantName } = await this.require(id, scope);
    const path = join(this.pluginFiles.dir(tenantName, plugin.id), plugin.archiveName);
    if (!(await this.files.isFile(path))) throw new NotFoundError('File', plugin.archiveName);
    return { path, filename: plugin.archiveName };
  }

  /** The plugin yaml Cloudify would pick for `dsl_version` (see pickYamlFile). */
  async yaml(id: string, dslVersion: string | undefined, scope: TenantScope): Promise<PluginFile> {
    const { plugin, tenantName } = await this.require(id, scope);
    const names = await this.pluginFiles.yamlNames(tenantName, plugin.id);
    const name = pickYamlFile(names, dslVersion);
    if (!name) throw new NotFoundError('File', `plugin ${plugin.id} yaml`);
    return { path: join(this.pluginFiles.dir(tenantName, plugin.id), name), filename: name };
  }

  async setVisibility(
    id: string,
    visibility: Visibility,
    scope: TenantScope & { username: string },
  ): Promise<PluginResponseDto> {
    const row = await this.require(id, scope);
    const { plugin } = row;
    this.checkModifiable(row, scope);
    if (VISIBILITY_RANK[visibility] < VISIBILITY_RANK[plugin.visibility]) {
      throw new IllegalActionError(
        `Can't set the visibility of \`${plugin.id}\` to ${visibility} because it already has wider visibility`,
      );
    }
    if (visibility === Visibility.Global) {
      if (!scope.isAdmin) {
        throw new ForbiddenError(
          `User \`${scope.username}\` is not permitted to set or create a global resource`,
        );
      }
      if (await this.plugins.idUsedElsewhere(plugin.id, plugin.tenantId)) {
        throw new ConflictError(
          `Can't set or create the resource \`${plugin.id}\`, its visibility can't be global because it also exists in other tenants`,
        );
      }
    }
    if (visibility !== plugin.visibility) await this.plugins.update(plugin, { visibility });
    return this.get(id, scope);
  }

  /** Reads a plugin's chosen yaml (for `plugin:` imports). */
  async readYaml(row: PluginRow): Promise<{ dir: string; file: string; text: string } | undefined> {
    const dir = this.pluginFiles.dir(row.tenantName, row.plugin.id);
    const name = pickYamlFile(await this.pluginFiles.yamlNames(row.tenantName, row.plugin.id));
    if (!name) return undefined;
    const file = join(dir, name);
    return { dir, file, text: await readFile(file, 'utf8') };
  }

  /** A global plugin of another tenant can be read here, not changed. */
  private checkModifiable({ plugin, tenantName }: PluginRow, scope: TenantScope): void {
    if (plugin.tenantId !== scope.tenantId) {
      throw new ForbiddenError(
        `Can't modify the global resource \`${plugin.id}\` from outside its tenant \`${tenantName}\``,
      );
    }
  }

  private async require(id: string, scope: TenantScope): Promise<PluginRow> {
    const row = await this.plugins.findVisible(id, scope);
    if (!row) throw new NotFoundError('Plugin', id);
    return row;
  }

  private async toResponse(row: PluginRow): Promise<PluginResponseDto> {
    const { plugin, tenantName, creatorName } = row;
    const yamlNames = await this.pluginFiles.yamlNames(tenantName, plugin.id);
    const relative = this.pluginFiles.relativeDir(tenantName, plugin.id);
    const yamlUrlPath = pickYamlFile(yamlNames) ? importUrl(plugin) : '';
    return {
      id: plugin.id,
      package_name: plugin.packageName,
      package_version: plugin.packageVersion,
      archive_name: plugin.archiveName,
      package_source: plugin.packageSource,
      supported_platform: plugin.supportedPlatform ?? null,
      supported_py_versions: plugin.supportedPyVersions,
      distribution: plugin.distribution,
      distribution_version: plugin.distributionVersion,
      distribution_release: plugin.distributionRelease,
      wheels: plugin.wheels ?? [],
      excluded_wheels: plugin.excludedWheels,
      uploaded_at: formatTimestamp(plugin.uploadedAt),
      title: plugin.title,
      blueprint_labels: plugin.blueprintLabels,
      labels: plugin.labels,
      resource_tags: plugin.resourceTags,
      installation_state: (plugin.installationState ?? []).map((state) => ({
        manager: state.manager?.hostname ?? null,
        agent: state.agent?.name ?? null,
        state: state.state,
        error: state.error,
      })),
      yaml_files_paths: yamlNames.map((name) => `${relative}/${name}`),
      yaml_url_path: yamlUrlPath,
      visibility: plugin.visibility,
      tenant_name: tenantName,
      created_by: creatorName,
      resource_availability: plugin.visibility,
      private_resource: plugin.visibility === Visibility.Private,
    };
  }
}
