import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withStorageLock } from './storage-lock';

describe('the storage folder lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nestify-local-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a second holder while the first works, and is gone afterwards', async () => {
    let inner: Promise<unknown> | undefined;
    await withStorageLock(dir, async () => {
      inner = withStorageLock(dir, async () => 'never');
      await expect(inner).rejects.toThrow(
        `another nestify local command (pid ${process.pid}) is working in ${dir}`,
      );
    });
    expect(await readdir(dir)).toEqual([]);
    await expect(withStorageLock(dir, async () => 'again')).resolves.toBe('again');
  });

  it('takes over a lock left by a process that has ended', async () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(join(dir, 'lock'), `${ended.stdout.toString()}\n`);
    await expect(withStorageLock(dir, async () => 'taken over')).resolves.toBe('taken over');
  });

  it('releases the lock when the work fails', async () => {
    await expect(
      withStorageLock(dir, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readdir(dir)).toEqual([]);
  });
});
