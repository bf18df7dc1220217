import { Inject, Injectable } from '@nestjs/common';
import { copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import {
  BadParametersError,
  ConflictError,
  ForbiddenError,
  newUuid,
  Visibility,
} from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { ArchiveFormat, detectArchiveFile } from '../resources/archive/archive-format';
import { receiveArchive } from '../resources/archive/receive-archive';
import { ArchiveError, extractArchive } from '../resources/archive/safe-extract';
import { FileServerService } from '../resources/file-server.service';
import { InvalidPluginError, UploadMissingFileError } from './plugin-errors';
import { PluginFiles } from './plugin-files';
import {
  infoFromPackageJson,
  infoFromPluginYaml,
  infoFromWagonMetadata,
  isYamlName,
  npmArchiveName,
  pickYamlFile,
  PluginPackageInfo,
  readPluginYaml,
  safeFileName,
} from './plugin-package';
import { PluginsRepository } from './plugins.repository';

/** The archive of an upload: a file the multipart reader already wrote, or the raw request body. */
export type UploadedPluginArchive = { path: string } | { stream: Readable };

/** POST /plugins parameters (query string, or multipart fields). */
export interface PluginUploadParams {
  visibility?: Visibility;
  title?: string;
  /** Internal (snapshot restore): the id to give the plugin. */
  id?: string;
  /** Internal (snapshot restore): when it was first uploaded. */
  uploadedAt?: Date;
  archiveUrl?: string;
}

export type PluginUploadCaller = TenantScope & { username: string };

const MIB = 1024 * 1024;
const INVALID_ARCHIVE =
  'The plugin must be a zip holding a plugin.yaml (and optionally one wagon), or an npm package tarball holding package.json and plugin.yaml';

/** The plugin found in an unpacked archive, ready to store. */
interface PluginPackage {
  info: PluginPackageInfo;
  /** The file kept as the plugin's package (`archive_name`), and the name to keep it under. */
  packageFile: string;
  archiveName: string;
  /** Yaml files to keep beside it, by name. */
  yamls: Map<string, string>;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505'
  );
}

/**
 * POST /plugins: receives a plugin package, unpacks it safely, reads its metadata and keeps its
 * package file and yaml under `<resources>/plugins/<tenant>/<id>/`. Two packages are accepted:
 * a zip with plugin yaml(s) at its top (and optionally one Python wagon, whose metadata then
 * names the package), and an npm tarball of a TypeScript plugin (`package/package.json`, which
 * names the package, and `package/plugin.yaml`).
 */
@Injectable()
export class PluginUploadService {
  constructor(
    private readonly plugins: PluginsRepository,
    private readonly pluginFiles: PluginFiles,
    private readonly files: FileServerService,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  get maxArchiveBytes(): number {
    return this.config.resources.maxUnpackedBytes * 2 + MIB;
  }

  /** Uploads a plugin; returns its id. */
  async upload(
    params: PluginUploadParams,
    archive: UploadedPluginArchive | undefined,
    caller: PluginUploadCaller,
  ): Promise<string> {
    const scratch = await this.files.makeTempDir('plugin');
    try {
      this.checkRequest(params, archive, caller);
      const id = params.id ?? newUuid();
      if (params.id && (await this.plugins.idTaken(id, caller.tenantId))) {
        throw new ConflictError(`Plugin with id \`${id}\` already exists`);
      }
      const received = await this.receive(archive!, scratch);
      const found = await this.unpack(received, scratch);
      await this.checkDuplicate(id, found.info, params.visibility ?? Visibility.Tenant, caller);
      await this.store(id, found, caller, scratch);
      try {
        await this.plugins.insert({
          id,
          ...found.info,
          archiveName: found.archiveName,
          title: params.title ?? found.info.packageName,
          uploadedAt: params.uploadedAt ?? new Date(),
          blueprintLabels: null,
          labels: null,
          resourceTags: null,
          visibility: params.visibility ?? Visibility.Tenant,
          tenantId: caller.tenantId,
          creatorId: caller.userId,
        });
      } catch (error) {
        await this.files.remove(this.pluginFiles.dir(caller.tenantName, id));
        if (!isUniqueViolation(error)) throw error;
        throw this.duplicate(id, caller.tenantName);
      }
      return id;
    } finally {
      await this.files.remove(scratch);
      if (archive && 'path' in archive) await this.files.remove(archive.path);
    }
  }

  private checkRequest(
    params: PluginUploadParams,
    archive: UploadedPluginArchive | undefined,
    caller: PluginUploadCaller,
  ): asserts archive is UploadedPluginArchive {
    if (params.archiveUrl && archive) {
      throw new BadParametersError(
        'Can pass the plugin as only one of: URL via query parameters, multi-form or chunked.',
      );
    }
    if (params.archiveUrl) {
      throw new BadParametersError(
        `Cannot fetch ${params.archiveUrl}: this manager does not download plugin archives (it works offline); upload the archive file instead`,
      );
    }
    if (!archive) {
      throw new UploadMissingFileError(
        'Missing the plugin archive: send it as the request body or as the file part of a multipart request',
      );
    }
    if (params.visibility === Visibility.Global && !caller.isAdmin) {
      throw new ForbiddenError(
        `User \`${caller.username}\` is not permitted to set or create a global resource`,
      );
    }
  }

  /** The received archive as a file: the multipart one, or the raw body streamed with a limit. */
  private async receive(archive: UploadedPluginArchive, scratch: string): Promise<string> {
    if ('path' in archive) return archive.path;
    const path = join(scratch, 'upload');
    try {
      await receiveArchive(archive.stream, path, this.maxArchiveBytes, 'Plugin archive');
    } catch (error) {
      throw new BadParametersError(error instanceof Error ? error.message : String(error));
    }
    if ((await stat(path)).size === 0) {
      throw new UploadMissingFileError('Missing the plugin archive: the request body is empty');
    }
    return path;
  }

  private async unpack(archive: string, scratch: string): Promise<PluginPackage> {
    const format = await detectArchiveFile(archive);
    if (!format) throw new InvalidPluginError(INVALID_ARCHIVE);
    const root = await this.extract(archive, format, join(scratch, 'content'));
    const names = await readdir(root);
    const yamlNames = names.filter(isYamlName);
    const wagons = names.filter((name) => name.endsWith('.wgn'));
    const npm = format !== 'zip' && names.includes('package.json');
    if (format !== 'zip' && !npm) throw new InvalidPluginError(INVALID_ARCHIVE);
    const main = pickYamlFile(yamlNames);
    if (!main) {
      throw new InvalidPluginError(
        npm
          ? 'The npm package holds no plugin.yaml (expected package/plugin.yaml)'
          : 'The plugin archive holds no plugin.yaml',
      );
    }
    const yaml = readPluginYaml(await readFile(join(root, main), 'utf8'), main);
    for (const name of yamlNames.filter((other) => other !== main)) {
      readPluginYaml(await readFile(join(root, name), 'utf8'), name);
    }
    const yamls = new Map(yamlNames.map((name) => [name, join(root, name)]));
    if (npm) {
      const info = infoFromPackageJson(await readFile(join(root, 'package.json'), 'utf8'));
      const archiveName = npmArchiveName(info.packageName, info.packageVersion ?? '0.0.0');
      return { info, packageFile: archive, archiveName, yamls };
    }
    if (wagons.length > 1)
      throw new InvalidPluginError('Archive must include at most one wgn file');
    if (wagons.length === 1) {
      const info = await this.readWagon(join(root, wagons[0]), join(scratch, 'wagon'));
      return { info, packageFile: join(root, wagons[0]), archiveName: wagons[0], yamls };
    }
    const info = infoFromPluginYaml(yaml);
    const version = info.packageVersion ? `-${info.packageVersion}` : '';
    const archiveName = safeFileName(`${info.packageName}${version}.zip`);
    return { info, packageFile: archive, archiveName, yamls };
  }

  /** Unpacks safely; returns the plugin's root (the single top folder, e.g. npm's `package/`). */
  private async extract(archive: string, format: ArchiveFormat, dest: string): Promise<string> {
    await mkdir(dest, { recursive: true });
    try {
      const { topLevel } = await extractArchive(archive, format, dest, {
        maxUnpackedBytes: this.config.resources.maxUnpackedBytes,
        allowFilesAtTop: true,
      });
      return topLevel ? join(dest, topLevel) : dest;
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      throw new InvalidPluginError(`Invalid plugin archive: ${error.message}`);
    }
  }

  /** A wagon is a tar.gz whose single folder holds `package.json` with its metadata. */
  private async readWagon(wagon: string, dest: string): Promise<PluginPackageInfo> {
    const format = await detectArchiveFile(wagon);
    if (format !== 'tar.gz' && format !== 'tar') {
      throw new InvalidPluginError('The wagon is not a tar.gz archive');
    }
    await mkdir(dest, { recursive: true });
    let root: string;
    try {
      const { topLevel } = await extractArchive(wagon, format, dest, {
        maxUnpackedBytes: this.config.resources.maxUnpackedBytes,
      });
      root = join(dest, topLevel);
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      throw new InvalidPluginError(`Invalid wagon: ${error.message}`);
    }
    const metadata = await readFile(join(root, 'package.json'), 'utf8').catch(() => undefined);
    if (metadata === undefined) throw new InvalidPluginError('The wagon holds no package.json');
    return infoFromWagonMetadata(metadata);
  }

  private async checkDuplicate(
    id: string,
    info: PluginPackageInfo,
    visibility: Visibility,
    caller: PluginUploadCaller,
  ): Promise<void> {
    const global = visibility === Visibility.Global;
    const existing = await this.plugins.findDuplicates(info, caller.tenantId, global);
    if (existing.length) throw this.duplicate(id, caller.tenantName);
  }

  private duplicate(id: string, tenant: string): ConflictError {
    return new ConflictError(
      `<Plugin id=\`${id}\` tenant=\`${tenant}\`> already exists on <Tenant name=\`${tenant}\`> or with global visibility`,
    );
  }

  /** Copies the package file and yaml into a scratch folder, then moves it into place. */
  private async store(
    id: string,
    found: PluginPackage,
    caller: PluginUploadCaller,
    scratch: string,
  ): Promise<void> {
    const staged = join(scratch, 'stored');
    await mkdir(staged, { recursive: true });
    await copyFile(found.packageFile, join(staged, found.archiveName));
    for (const [name, path] of found.yamls) {
      if (name !== found.archiveName) await copyFile(path, join(staged, name));
    }
    await this.files.moveInto(staged, this.pluginFiles.dir(caller.tenantName, id));
  }
}
