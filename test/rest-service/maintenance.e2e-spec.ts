import request from 'supertest';
import { DataSource } from 'typeorm';
import { Execution, ExecutionStatus, MaintenanceMode } from '@nestify/model';
import { MAINTENANCE_CACHE_MS } from '../../apps/rest-service/src/maintenance/maintenance.service';
import { Fixtures } from '../model/fixtures';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';
import { basic, createUser } from '../support/rest-users';

const MAINTENANCE_MESSAGE =
  'Your request was rejected since Cloudify manager is currently in maintenance mode';

/** Maintenance mode over real HTTP: its routes, the global guard, the activating → activated step. */
describe('maintenance mode', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const carol = basic('carol', 'carol-pw');
  const http = () => request(rest.baseUrl);
  const api = (path: string) => `/api/v3.1${path}`;
  const get = (path: string, auth = admin) =>
    http().get(api(path)).set('Authorization', auth).set('Tenant', 'default_tenant');
  const post = (path: string, auth = admin) =>
    http().post(api(path)).set('Authorization', auth).set('Tenant', 'default_tenant');
  /** Polls until `path` answers `status`, for a little longer than the guard caches its state. */
  const eventually = async (path: string, status: number) => {
    const deadline = Date.now() + MAINTENANCE_CACHE_MS * 3;
    let last = 0;
    while (Date.now() < deadline) {
      last = (await get(path)).status;
      if (last === status) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`GET ${path} still answers ${last}, not ${status}`);
  };

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    await createUser(dataSource, 'carol', 'carol-pw', { default_tenant: 'manager' });
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('starts deactivated, and deactivating then answers 304', async () => {
    expect((await get('/maintenance').expect(200)).body).toEqual({
      status: 'deactivated',
      activated_at: '',
      activation_requested_at: '',
      remaining_executions: null,
      requested_by: '',
    });
    await post('/maintenance/deactivate').expect(304);
  });

  it('is switched by admins only', async () => {
    const refused = await post('/maintenance/activate', carol).expect(403);
    expect(refused.body.error_code).toBe('forbidden_error');
    await get('/maintenance', carol).expect(200);
  });

  it('activates at once with no execution running, then refuses all but the allowed routes', async () => {
    const activated = await post('/maintenance/activate').expect(200);
    expect(activated.body).toMatchObject({
      status: 'activated',
      requested_by: 'admin',
      activated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      activation_requested_at: expect.stringMatching(/Z$/),
    });
    await post('/maintenance/activate').expect(304);

    const refused = await get('/sites').expect(503);
    expect(refused.body).toEqual({
      message: MAINTENANCE_MESSAGE,
      error_code: 'maintenance_mode_active',
      server_traceback: null,
    });
    expect((await get('/blueprints', carol).expect(503)).body.error_code).toBe(
      'maintenance_mode_active',
    );
    // Still answering: maintenance itself, status, version (both prefixes), config, managers.
    expect((await get('/maintenance').expect(200)).body).toMatchObject({
      status: 'activated',
      remaining_executions: null,
    });
    await get('/status').expect(200);
    await get('/version').expect(200);
    await http().get('/api/version').expect(200);
    await get('/config').expect(200);
    await get('/managers').expect(200);
    // Unknown routes stay plain 404s.
    await get('/no-such-thing').expect(404);
  });

  it('lets an admin through with X-BYPASS-MAINTENANCE, but not anyone else', async () => {
    await get('/sites').set('X-BYPASS-MAINTENANCE', 'true').expect(200);
    await get('/sites', carol).set('X-BYPASS-MAINTENANCE', 'true').expect(503);
  });

  it('deactivates, and every route answers again', async () => {
    const deactivated = await post('/maintenance/deactivate').expect(200);
    expect(deactivated.body).toMatchObject({ status: 'deactivated', requested_by: 'admin' });
    await get('/sites').expect(200);
    await post('/maintenance/deactivate').expect(304);
    // The history is kept; the newest row is the state.
    const rows = await dataSource.getRepository(MaintenanceMode).find({ order: { id: 'ASC' } });
    expect(rows.map((row) => row.status)).toEqual(['activated', 'deactivated']);
  });

  it('waits for running executions while activating, refusing only the entering writes', async () => {
    const f = new Fixtures(dataSource.manager);
    const deployment = await f.deployment(undefined, 'busy-dep');
    const running = await f.execution(deployment);
    await dataSource
      .getRepository(Execution)
      .update({ storageId: running.storageId }, { status: ExecutionStatus.Started });

    const activating = await post('/maintenance/activate').expect(200);
    expect(activating.body).toMatchObject({
      status: 'activating',
      activated_at: null,
      requested_by: 'admin',
      remaining_executions: [
        { id: running.id, status: 'started', deployment_id: 'busy-dep', workflow_id: 'install' },
      ],
    });
    await post('/maintenance/activate').expect(304);

    const refused = await post('/snapshots/snap-1/restore').expect(503);
    expect(refused.body).toEqual({
      message: MAINTENANCE_MESSAGE,
      error_code: 'entering_maintenance_mode',
      server_traceback: null,
    });
    // Reads, and other writes, still work so running executions can finish.
    await get('/sites').expect(200);
    await http()
      .put(api('/sites/site-during-activating'))
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .send({})
      .expect(200);
    expect((await get('/maintenance').expect(200)).body).toMatchObject({
      status: 'activating',
      remaining_executions: [expect.objectContaining({ id: running.id })],
    });

    await dataSource
      .getRepository(Execution)
      .update({ storageId: running.storageId }, { status: ExecutionStatus.Terminated });
    expect((await get('/maintenance').expect(200)).body).toMatchObject({
      status: 'activated',
      remaining_executions: null,
      activated_at: expect.stringMatching(/Z$/),
    });
    expect((await get('/sites').expect(503)).body.error_code).toBe('maintenance_mode_active');
  });

  it('lets the guard notice a change made by another process within its cache period', async () => {
    await post('/maintenance/deactivate').expect(200);
    await get('/sites').expect(200);
    // Another rest-service process activates: only the database changes.
    await dataSource.query(
      `INSERT INTO maintenance_mode (status, activation_requested_at, activated_at, _requested_by)
       VALUES ('activated', now(), now(), 0)`,
    );
    await eventually('/sites', 503);
    expect((await get('/sites').expect(503)).body.error_code).toBe('maintenance_mode_active');
    await post('/maintenance/deactivate').expect(200);
    await get('/sites').expect(200);
  });
});
