import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { ArchiveEntry, buildTarGz, folderEntries } from '../support/archives';
import { basic } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const FIXTURES = resolve(__dirname, '../fixtures');

function helloWorld(): ArchiveEntry[] {
  return folderEntries(join(FIXTURES, 'blueprints/01-hello-world'), 'hello-world').filter(
    (entry) => !entry.name.endsWith('expected-plan.json'),
  );
}

/** Collects a binary response body as one Buffer. */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/**
 * Snapshots over real HTTP on real PostgreSQL: a manager with a blueprint and a deployment is
 * archived (pg_dump + resources), both are deleted, the archive is restored and they are back —
 * rows and blueprint files. Also download, upload, and the refusals.
 */
describe('snapshots API', () => {
  let rest: RestTestApp;
  let work: string;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const http = () => request(rest.baseUrl);
  const call = (method: 'get' | 'put' | 'post' | 'delete', path: string) =>
    http()[method](`/api/v3.1/${path}`).set('Authorization', admin).set('Tenant', 'default_tenant');

  /** Polls an execution until it ends (it must stay readable throughout); returns its body. */
  async function waitForExecution(id: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { body } = await call('get', `executions/${id}`).expect(200);
      if (['terminated', 'failed', 'cancelled'].includes(body.status as string)) return body;
      if (Date.now() > deadline) throw new Error(`execution ${id} still ${body.status}`);
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-snapshots-'));
    // Uploads are capped at 10 × the unpacked-archive limit: 20 MiB here.
    rest = await startRestTestApp({
      env: { NESTIFY_DATA_DIR: work, ARCHIVE_MAX_UNPACKED_MB: '2' },
    });
    const upload = await call('put', 'blueprints/hello')
      .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
      .attach('blueprint_archive', buildTarGz(helloWorld()), { filename: 'bp.tar.gz' });
    expect(upload.status).toBe(201);
    await call('put', 'deployments/hello-1').send({ blueprint_id: 'hello' }).expect(201);
  }, 30_000);

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  let archive: Buffer;

  it('creates a snapshot as a create_snapshot execution, then lists and downloads it', async () => {
    // The body Cloudify's Python client sends.
    const { body: execution } = await call('put', 'snapshots/backup-1')
      .send({
        include_credentials: true,
        include_logs: true,
        include_events: true,
        queue: false,
        tempdir_path: null,
        legacy: false,
        listener_timeout: null,
      })
      .expect(201);
    expect(execution).toMatchObject({
      workflow_id: 'create_snapshot',
      status: 'started',
      is_system_workflow: true,
      parameters: { snapshot_id: 'backup-1' },
    });
    expect(await waitForExecution(execution.id as string)).toMatchObject({
      status: 'terminated',
      error: '',
    });
    const events = await call('get', `events?execution_id=${execution.id}&_sort=timestamp`);
    expect(events.body.items.map((e: { event_type: string }) => e.event_type)).toEqual([
      'workflow_started',
      'workflow_succeeded',
    ]);
    expect((await call('get', 'snapshots/backup-1').expect(200)).body).toMatchObject({
      id: 'backup-1',
      status: 'created',
      error: null,
      created_by: 'admin',
      tenant_name: 'default_tenant',
    });
    const list = await call('get', 'snapshots').expect(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(['backup-1']);

    await call('put', 'snapshots/backup-1').send({}).expect(409);

    const download = await call('get', 'snapshots/backup-1/archive')
      .buffer(true)
      .parse(binary)
      .expect(200);
    archive = download.body as Buffer;
    expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
  });

  it('restores deleted blueprints and deployments, rows and files', async () => {
    await call('delete', 'deployments/hello-1').expect(204);
    await call('delete', 'blueprints/hello').expect(204);
    await call('get', 'blueprints/hello').expect(404);
    await http()
      .get('/resources/blueprints/default_tenant/hello/blueprint.yaml')
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(404);

    const { body: execution } = await call('post', 'snapshots/backup-1/restore')
      .send({
        force: false,
        restore_certificates: false,
        no_reboot: false,
        ignore_plugin_failure: false,
      })
      .expect(200);
    expect(execution).toMatchObject({ workflow_id: 'restore_snapshot', status: 'started' });
    // Readers during the restore wait for its commit: no errors, no deadlock.
    let restoring = true;
    const reader = async () => {
      const statuses: number[] = [];
      while (restoring) statuses.push((await call('get', 'blueprints')).status);
      return statuses;
    };
    const readers = [reader(), reader(), reader()];
    const ended = await waitForExecution(execution.id as string);
    restoring = false;
    expect(ended).toMatchObject({ status: 'terminated' });
    expect(new Set((await Promise.all(readers)).flat())).toEqual(new Set([200]));

    expect((await call('get', 'blueprints/hello').expect(200)).body).toMatchObject({
      id: 'hello',
      state: 'uploaded',
    });
    expect((await call('get', 'deployments/hello-1').expect(200)).body).toMatchObject({
      id: 'hello-1',
      blueprint_id: 'hello',
    });
    const nodes = await call('get', 'nodes?deployment_id=hello-1').expect(200);
    expect(nodes.body.metadata.pagination.total).toBeGreaterThan(0);
    await http()
      .get('/resources/blueprints/default_tenant/hello/blueprint.yaml')
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(200);

    // The live manager's snapshot records survive the restore, the creating one finished.
    expect((await call('get', 'snapshots/backup-1').expect(200)).body.status).toBe('created');
    const system = await call(
      'get',
      'executions?_include_system_workflows=true&workflow_id=create_snapshot',
    ).expect(200);
    expect(system.body.items.map((e: { status: string }) => e.status)).toEqual(['terminated']);
  });

  it('takes an uploaded archive, and refuses to restore over data without force', async () => {
    // As Cloudify's Python client sends it: the raw archive bytes labelled application/json.
    const uploaded = await fetch(`${rest.baseUrl}/api/v3.1/snapshots/copy-1/archive`, {
      method: 'PUT',
      headers: {
        Authorization: admin,
        Tenant: 'default_tenant',
        'Content-Type': 'application/json',
      },
      body: archive,
    });
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toMatchObject({ id: 'copy-1', status: 'uploaded' });

    const refused = await call('post', 'snapshots/copy-1/restore').send({}).expect(400);
    expect(refused.body).toMatchObject({ error_code: 'bad_parameters_error' });

    const { body: execution } = await call('post', 'snapshots/copy-1/restore')
      .send({ force: true })
      .expect(200);
    expect(await waitForExecution(execution.id as string)).toMatchObject({ status: 'terminated' });
    await call('get', 'deployments/hello-1').expect(200);
    const ids = (await call('get', 'snapshots?_sort=id').expect(200)).body.items.map(
      (s: { id: string }) => s.id,
    );
    expect(ids).toEqual(['backup-1', 'copy-1']);
  });

  it('fails the restore of an archive from a newer nestify, changing nothing', async () => {
    const manifest = {
      format: 'nestify-snapshot',
      version: 1,
      snapshot_id: 'future',
      created_at: '2030-01-01T00:00:00.000Z',
      migrations: ['Future1900000000000'],
    };
    const future = buildTarGz([
      { name: 'snapshot.json', body: JSON.stringify(manifest) },
      { name: 'database.dump', body: 'not reached' },
    ]);
    await call('put', 'snapshots/future/archive')
      .set('Content-Type', 'application/octet-stream')
      .send(future)
      .expect(201);
    const { body: execution } = await call('post', 'snapshots/future/restore')
      .send({ force: true })
      .expect(200);
    expect(await waitForExecution(execution.id as string)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('made by a newer nestify'),
    });
    await call('get', 'deployments/hello-1').expect(200);
    await call('delete', 'snapshots/future').expect(204);
  });

  it('refuses an uploaded archive over the size limit with bad_parameters_error, keeping nothing', async () => {
    const response = await call('put', 'snapshots/too-big/archive')
      .set('Content-Type', 'application/octet-stream')
      .send(Buffer.alloc(21 * 1024 * 1024));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: 'Snapshot archive is larger than 20 MiB',
    });
    await call('get', 'snapshots/too-big').expect(404);
  });

  it('deletes a snapshot and its archive; answers 404 for unknown ones', async () => {
    await call('delete', 'snapshots/copy-1').expect(204);
    await call('get', 'snapshots/copy-1').expect(404);
    await call('get', 'snapshots/copy-1/archive').expect(404);
    await call('post', 'snapshots/nope/restore').send({}).expect(404);
  });

  it('reports whether a snapshot job runs, without credentials', async () => {
    expect((await http().get('/api/v3.1/snapshot-status').expect(200)).body).toEqual({
      status: 'not-running',
    });
  });
});
