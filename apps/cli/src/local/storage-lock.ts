import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../inputs';

const LOCK_FILE = 'lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Runs `work` holding the storage folder's lock file, so that two commands never change the same
 * local deployment at once (each would overwrite the other's state). A lock left by a process
 * that no longer runs is taken over.
 */
export async function withStorageLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  if (!(await tryCreate(path))) {
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new UsageError(`another nestify local command (pid ${owner}) is working in ${dir}`);
    }
    await rm(path, { force: true });
    if (!(await tryCreate(path))) {
      throw new UsageError(`another nestify local command is working in ${dir}`);
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
