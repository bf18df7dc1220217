import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { receiveArchive } from '../resources/archive/receive-archive';

/**
 * Where snapshot archives live: `<NESTIFY_DATA_DIR>/snapshots/<id>.tar.gz`, with a scratch folder
 * beside them (same file system, so a finished archive moves into place with a rename).
 */
export class SnapshotFiles {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'snapshots');
  }

  archive(id: string): string {
    return join(this.dir, `${id}.tar.gz`);
  }

  async exists(id: string): Promise<boolean> {
    return stat(this.archive(id)).then(
      (info) => info.isFile(),
      () => false,
    );
  }

  /** A new scratch folder; the caller removes it. */
  async workDir(purpose: string): Promise<string> {
    const path = join(this.dir, '.work', `${purpose}-${randomBytes(6).toString('hex')}`);
    await mkdir(path, { recursive: true });
    return path;
  }

  async moveIn(id: string, file: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await rename(file, this.archive(id));
  }

  /** Writes an uploaded archive, refusing more than `maxBytes`; nothing is left on failure. */
  async receive(id: string, body: Readable, maxBytes: number): Promise<void> {
    const work = await this.workDir('upload');
    const file = join(work, 'upload.tar.gz');
    try {
      await receiveArchive(body, file, maxBytes, 'Snapshot archive');
      await this.moveIn(id, file);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async remove(id: string): Promise<void> {
    await rm(this.archive(id), { force: true });
  }

  async removeDir(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true });
  }
}
