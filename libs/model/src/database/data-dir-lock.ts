import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * A pid file beside the embedded data directory: PGlite has no postmaster lock, and two
 * processes writing one data directory would corrupt it. A file left by a dead process is taken over.
 */
export interface DataDirLock {
  release(): void;
}

export function lockFilePath(dataDir: string): string {
  return join(dirname(dataDir), `${basename(dataDir)}.lock`);
}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = lockFilePath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  const owner = readOwner(path);
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${owner}; stop it, or set ` +
        'DATABASE_URL or another NESTIFY_DATA_DIR',
    );
  }
  writeFileSync(path, `${process.pid}\n`);
  return {
    release: () => {
      if (readOwner(path) === process.pid) unlinkSync(path);
    },
  };
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
