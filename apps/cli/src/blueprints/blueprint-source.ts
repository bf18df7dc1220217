import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { create } from 'tar';
import { UsageError } from '../inputs';

/** What `blueprints upload` and `install` send: an archive with one top-level folder. */
export interface BlueprintSource {
  archive: Buffer;
  archiveName: string;
  applicationFileName: string;
  /** The id when none is given: the blueprint's folder (or archive) name. */
  defaultId: string;
}

const ARCHIVE = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar|zip)$/i;
const YAML = /\.ya?ml$/i;

/** A usable id out of a name: Cloudify's id characters, starting with a letter. */
export function idFrom(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._~-]+/g, '-').replace(/^[^A-Za-z]+/, '');
  return cleaned || 'blueprint';
}

/**
 * A blueprint given as a folder (its `blueprint.yaml` or `fileName`), a YAML file (its folder is
 * archived, as Cloudify's client does) or a ready archive.
 */
export async function blueprintSource(path: string, fileName?: string): Promise<BlueprintSource> {
  const full = resolve(path);
  if (!existsSync(full)) throw new UsageError(`no such file or folder: ${path}`);
  if (statSync(full).isDirectory()) {
    const file = fileName ?? 'blueprint.yaml';
    if (!existsSync(join(full, file))) throw new UsageError(`no ${file} in ${path}`);
    return archiveFolder(full, file);
  }
  if (ARCHIVE.test(full)) {
    const name = basename(full);
    return {
      archive: await readFile(full),
      archiveName: name,
      applicationFileName: fileName ?? 'blueprint.yaml',
      defaultId: idFrom(name.replace(ARCHIVE, '')),
    };
  }
  if (YAML.test(full)) return archiveFolder(dirname(full), basename(full));
  throw new UsageError(`${path} is not a folder, a YAML file or an archive`);
}

async function archiveFolder(folder: string, file: string): Promise<BlueprintSource> {
  const name = basename(folder);
  const chunks: Buffer[] = [];
  const stream = create(
    {
      gzip: true,
      cwd: dirname(folder),
      portable: true,
      filter: (p) => !/(^|\/)\.git(\/|$)/.test(p),
    },
    [name],
  );
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return {
    archive: Buffer.concat(chunks),
    archiveName: `${idFrom(name)}.tar.gz`,
    applicationFileName: file,
    defaultId: idFrom(name),
  };
}
