import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNestifyWith } from '../cli/local-cli';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

// CI runs the built CLI (about a second a command); TEST_CLI_FROM_SOURCE=1 is much slower.
jest.setTimeout(180_000);

/**
 * Backup and restore as an operator does it, with `nestify snapshots` against a REST service
 * on real PostgreSQL: create (followed to its end), list, download, upload, restore, delete.
 */
describe('nestify snapshots', () => {
  let rest: RestTestApp;
  let work: string;
  const nestify = (...args: string[]) =>
    startNestifyWith(
      { cwd: work, env: { NESTIFY_CLI_HOME: join(work, 'home'), NO_COLOR: '1' } },
      ...args,
    ).done;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-snapshots-cli-'));
    rest = await startRestTestApp({ env: { NESTIFY_DATA_DIR: join(work, 'data') } });
    const login = await nestify(
      'profiles',
      'use',
      rest.baseUrl,
      '-u',
      'admin',
      '-p',
      TEST_ADMIN_PASSWORD,
      '-t',
      'default_tenant',
    );
    expect(login.stderr).toBe('');
  });

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('creates, downloads, uploads, restores and deletes snapshots', async () => {
    const created = await nestify('snapshots', 'create', 'nightly');
    expect(created).toMatchObject({ status: 0 });
    expect(created.stdout).toContain('Snapshot nightly created');

    const listed = await nestify('snapshots', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: 'nightly', status: 'created' }),
    ]);

    const file = join(work, 'nightly.tar.gz');
    expect(await nestify('snapshots', 'download', 'nightly', '-o', file)).toMatchObject({
      status: 0,
    });
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    expect(await nestify('snapshots', 'upload', file, '-s', 'copy')).toMatchObject({ status: 0 });
    const restored = await nestify('snapshots', 'restore', 'copy');
    expect(restored).toMatchObject({ status: 0 });
    expect(restored.stdout).toContain('Snapshot copy restored');

    expect(await nestify('snapshots', 'delete', 'copy')).toMatchObject({ status: 0 });
    const missing = await nestify('snapshots', 'get', 'copy');
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^nestify: .*`copy`.*not found.*\(not_found_error\)$/);
  });
});
