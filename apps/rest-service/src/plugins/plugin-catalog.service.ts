import { Injectable, Logger } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { PluginFiles } from './plugin-files';
import { pickYamlFile, readPluginYaml } from './plugin-package';
import {
  compareVersions,
  InvalidVersionSpecError,
  parseVersionSpecs,
  VersionClause,
  versionMatches,
} from './plugin-version';
import { PluginRow, PluginsRepository } from './plugins.repository';

/** What a `plugin:` import resolved to: the yaml's text and the folder it was read from. */
export type PluginImport =
  | { found: true; pluginId: string; dir: string; file: string; text: string }
  | { found: false; message: string };

/** Query parameters a `plugin:` import may carry, as Cloudify's resolver accepts them. */
const IMPORT_PARAMS = new Set(['version', 'distribution']);

function notFound(name: string, versions: string[]): PluginImport {
  const version = versions.length ? ` with version ${versions.join(',')}` : '';
  return {
    found: false,
    message: `Couldn't find plugin "${name}"${version} in the plugins catalog. Please upload the plugin using the console, or cfy plugins upload`,
  };
}

/**
 * Resolves `plugin:<name>[?version=<spec>&distribution=<d>]` blueprint imports against the
 * uploaded plugins the caller sees. `<name>` is a package name; failing that, a plugin name a
 * plugin.yaml declares. Of the matches, the newest version wins (then the caller's own tenant,
 * then the latest upload); the import's text is that plugin's stored yaml.
 */
@Injectable()
export class PluginCatalogService {
  private readonly logger = new Logger(PluginCatalogService.name);

  constructor(
    private readonly plugins: PluginsRepository,
    private readonly pluginFiles: PluginFiles,
  ) {}

  async resolveImport(
    name: string,
    params: Record<string, string | string[]>,
    scope: TenantScope,
  ): Promise<PluginImport> {
    const values = (key: string) => {
      const value = params[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    };
    for (const key of Object.keys(params)) {
      if (!IMPORT_PARAMS.has(key)) {
        return {
          found: false,
          message: `Error parsing spec for plugin ${name}: invalid parameter ${key}`,
        };
      }
    }
    const versions = values('version');
    let clauses: VersionClause[];
    try {
      clauses = parseVersionSpecs(versions);
    } catch (error) {
      if (!(error instanceof InvalidVersionSpecError)) throw error;
      return {
        found: false,
        message: `Specified version param ${JSON.stringify(versions)} of the plugin ${name} are in an invalid form. Please refer to the documentation for valid forms of versions`,
      };
    }
    const distributions = values('distribution');
    let candidates = await this.plugins.findForImport(scope, name, distributions);
    if (!candidates.length) candidates = await this.declaring(name, scope, distributions);
    const matching = candidates.filter((row) => versionMatches(row.plugin.packageVersion, clauses));
    const best = this.newest(matching, scope);
    if (!best) return notFound(name, versions);
    const dir = this.pluginFiles.dir(best.tenantName, best.plugin.id);
    const yaml = pickYamlFile(await this.pluginFiles.yamlNames(best.tenantName, best.plugin.id));
    if (!yaml) return notFound(name, versions);
    const file = join(dir, yaml);
    return { found: true, pluginId: best.plugin.id, dir, file, text: await readFile(file, 'utf8') };
  }

  /** Visible plugins whose yaml declares a plugin called `name` (a slower fallback). */
  private async declaring(
    name: string,
    scope: TenantScope,
    distributions: string[],
  ): Promise<PluginRow[]> {
    const rows = await this.plugins.findForImport(scope, undefined, distributions);
    const found: PluginRow[] = [];
    for (const row of rows) {
      const yaml = pickYamlFile(await this.pluginFiles.yamlNames(row.tenantName, row.plugin.id));
      if (!yaml) continue;
      const path = join(this.pluginFiles.dir(row.tenantName, row.plugin.id), yaml);
      try {
        const declared = readPluginYaml(await readFile(path, 'utf8'), yaml);
        if (Object.hasOwn(declared.plugins, name)) found.push(row);
      } catch (error) {
        this.logger.warn({ err: error, plugin: row.plugin.id }, 'unreadable stored plugin yaml');
      }
    }
    return found;
  }

  private newest(rows: PluginRow[], scope: TenantScope): PluginRow | undefined {
    const own = (row: PluginRow) => (row.plugin.tenantId === scope.tenantId ? 1 : 0);
    return [...rows].sort((a, b) => {
      const version = compareVersions(b.plugin.packageVersion ?? '', a.plugin.packageVersion ?? '');
      if (version) return version;
      if (own(a) !== own(b)) return own(b) - own(a);
      return b.plugin.uploadedAt.getTime() - a.plugin.uploadedAt.getTime();
    })[0];
  }
}
