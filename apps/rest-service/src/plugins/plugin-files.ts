import { Injectable } from '@nestjs/common';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileServerService } from '../resources/file-server.service';
import { isYamlName } from './plugin-package';

/** Folder of uploaded plugins under the file-server root. */
export const PLUGINS_FOLDER = 'plugins';

/**
 * Where uploaded plugins live: `<resources>/plugins/<tenant>/<plugin id>/`, holding the package
 * file (`archive_name`) and the plugin's yaml files.
 */
@Injectable()
export class PluginFiles {
  constructor(private readonly files: FileServerService) {}

  dir(tenant: string, id: string): string {
    return join(this.files.root, PLUGINS_FOLDER, tenant, id);
  }

  /** The folder as the file-server root names it (`plugins/<tenant>/<id>`). */
  relativeDir(tenant: string, id: string): string {
    return [PLUGINS_FOLDER, tenant, id].join('/');
  }

  /** Names of the plugin's yaml files (none when the folder is missing). */
  async yamlNames(tenant: string, id: string): Promise<string[]> {
    const names = await readdir(this.dir(tenant, id)).catch(() => [] as string[]);
    return names.filter(isYamlName).sort();
  }
}
