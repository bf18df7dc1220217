import { access, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create, extract } from 'tar';

/** What an archive says about itself; the rest of the archive is `database.dump` and `resources/`. */
export interface SnapshotManifest {
  format: 'nestify-snapshot';
  version: 1;
  snapshot_id: string;
  created_at: string;
  /** The migrations the dumped schema has: a manager restores only schemas it knows. */
  migrations: string[];
}

export const MANIFEST_FILE = 'snapshot.json';
export const DATABASE_DUMP_FILE = 'database.dump';
export const RESOURCES_FOLDER = 'resources';

/**
 * Copies the file-server root into the staging folder, leaving out scratch space: the archive
 * must hold what the manager serves, not half-finished uploads.
 */
export async function stageResources(
  resourcesDir: string,
  staging: string,
  skip: readonly string[],
): Promise<void> {
  const target = join(staging, RESOURCES_FOLDER);
  await mkdir(target, { recursive: true });
  const entries = await readdir(resourcesDir).catch(() => [] as string[]);
  for (const name of entries) {
    if (skip.includes(name)) continue;
    await cp(join(resourcesDir, name), join(target, name), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
}

export async function writeManifest(staging: string, manifest: SnapshotManifest): Promise<void> {
  await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
}

/** The staging folder (manifest, dump, resources) as one gzipped tar. */
export async function packSnapshot(staging: string, archive: string): Promise<void> {
  const entries = await readdir(staging);
  await create({ gzip: true, file: archive, cwd: staging, portable: true }, entries);
}

/**
 * Unpacks an archive into an empty folder and checks it is a nestify snapshot. node-tar refuses
 * absolute paths and `..` entries, so nothing lands outside `target`.
 */
export async function unpackSnapshot(archive: string, target: string): Promise<SnapshotManifest> {
  await mkdir(target, { recursive: true });
  await extract({ file: archive, cwd: target, strict: true, preservePaths: false });
  let manifest: Partial<SnapshotManifest>;
  try {
    manifest = JSON.parse(await readFile(join(target, MANIFEST_FILE), 'utf8')) as SnapshotManifest;
  } catch {
    throw new Error(`not a nestify snapshot: ${MANIFEST_FILE} is missing or unreadable`);
  }
  if (manifest.format !== 'nestify-snapshot' || manifest.version !== 1) {
    throw new Error('not a nestify snapshot of a version this manager can restore');
  }
  await access(join(target, DATABASE_DUMP_FILE)).catch(() => {
    throw new Error(`not a nestify snapshot: ${DATABASE_DUMP_FILE} is missing`);
  });
  return manifest as SnapshotManifest;
}

/**
 * Puts the archive's resources in place of the live ones: every top-level folder of the
 * file-server root except `keep` is replaced by the archive's, so blueprints deleted since the
 * snapshot come back and ones added since go away, matching the restored database.
 */
export async function restoreResources(
  staging: string,
  resourcesDir: string,
  keep: readonly string[],
): Promise<void> {
  await mkdir(resourcesDir, { recursive: true });
  for (const name of await readdir(resourcesDir)) {
    if (!keep.includes(name)) await rm(join(resourcesDir, name), { recursive: true, force: true });
  }
  const source = join(staging, RESOURCES_FOLDER);
  const entries = await readdir(source).catch(() => [] as string[]);
  for (const name of entries) {
    if (keep.includes(name)) continue;
    await cp(join(source, name), join(resourcesDir, name), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
}
