import { Inject, Injectable } from '@nestjs/common';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { NotFoundError } from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { TenantScope } from '../common/tenancy/tenant-scope';

/** Folder names under the file-server root, as Cloudify lays them out. */
export const BLUEPRINTS_FOLDER = 'blueprints';
export const UPLOADED_BLUEPRINTS_FOLDER = 'uploaded-blueprints';
const TEMP_FOLDER = 'tmp';

/**
 * The file-server root (`RESOURCES_DIR`): where blueprint files live once extracted
 * (`blueprints/<tenant>/<id>/`), where their uploaded archives are kept
 * (`uploaded-blueprints/<tenant>/<id>/<id>.<ext>`), and a scratch folder on the same file system
 * so finished work moves into place with a rename.
 */
@Injectable()
export class FileServerService {
  readonly root: string;

  constructor(@Inject(NESTIFY_CONFIG) config: NestifyConfig) {
    this.root = resolve(config.resources.dir);
  }

  blueprintDir(tenant: string, id: string): string {
    return join(this.root, BLUEPRINTS_FOLDER, tenant, id);
  }

  uploadedBlueprintDir(tenant: string, id: string): string {
    return join(this.root, UPLOADED_BLUEPRINTS_FOLDER, tenant, id);
  }

  /** A new, empty scratch folder; the caller removes it. */
  async makeTempDir(prefix: string): Promise<string> {
    const parent = join(this.root, TEMP_FOLDER);
    await mkdir(parent, { recursive: true });
    return mkdtemp(join(parent, `${prefix}-`));
  }

  /** Moves a file or folder to `target`, replacing whatever was there. */
  async moveInto(source: string, target: string): Promise<void> {
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await rename(source, target);
  }

  async remove(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }

  /**
   * The extracted blueprint file at `blueprints/<tenant>/<id>/<relative>` for a caller working in
   * `scope`: only that tenant's folder, never outside the blueprint's folder; else not found.
   */
  async blueprintFile(
    tenant: string,
    id: string,
    relative: string,
    scope: TenantScope,
  ): Promise<string> {
    const base = resolveInside(join(this.root, BLUEPRINTS_FOLDER), join(tenant, id));
    const file = base && resolveInside(base, relative);
    if (!file || tenant !== scope.tenantName || !(await this.isFile(file))) {
      throw new NotFoundError('File', `${BLUEPRINTS_FOLDER}/${tenant}/${id}/${relative}`);
    }
    return file;
  }

  async isFile(path: string): Promise<boolean> {
    return stat(path).then(
      (info) => info.isFile(),
      () => false,
    );
  }
}

/**
 * `relative` resolved under `base`, or undefined when it would leave it (`..`, absolute paths).
 * Says nothing about links: the file server only holds what our extractor wrote, which has none.
 */
export function resolveInside(base: string, relative: string): string | undefined {
  const root = resolve(base);
  const target = resolve(root, relative);
  return target.startsWith(root + sep) ? target : undefined;
}
