import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, lockFilePath } from './data-dir-lock';

describe('lockDataDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'nestify-lock-'));
  const dataDir = join(root, 'data');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes our pid beside the data directory and removes it on release', () => {
    const lock = lockDataDir(dataDir);
    expect(readFileSync(lockFilePath(dataDir), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockFilePath(dataDir))).toBe(false);
  });

  it('refuses a directory held by another live process', () => {
    writeFileSync(lockFilePath(dataDir), `${process.ppid}\n`);
    expect(() => lockDataDir(dataDir)).toThrow(/in use by process/);
    rmSync(lockFilePath(dataDir));
  });

  it('takes over the lock of a process that died', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lockFilePath(dataDir), `${dead}\n`);
    const lock = lockDataDir(dataDir);
    expect(readFileSync(lockFilePath(dataDir), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});
