import { hostname } from 'node:os';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { basic, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** /provider/context, /config and /managers over real HTTP. */
describe('manager meta API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const frank = basic('frank', 'frank-pw');
  const http = () => request(rest.baseUrl);
  const get = (path: string, auth = admin) =>
    http().get(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', 'default_tenant');

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    await createUser(dataSource, 'frank', 'frank-pw', { default_tenant: 'viewer' });
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('serves the default provider context, and replaces it with update=true', async () => {
    expect((await get('/provider/context').expect(200)).body).toEqual({
      id: 'CONTEXT',
      name: 'provider',
      context: { cloudify: {} },
    });
    const body = { name: 'mine', context: { cloudify: { import_resolver: { parameters: {} } } } };
    const post = () =>
      http().post('/api/v3.1/provider/context').set('Authorization', admin).send(body);
    expect((await post().expect(409)).body.error_code).toBe('conflict_error');
    const updated = await http()
      .post('/api/v3.1/provider/context?update=true')
      .set('Authorization', admin)
      .send(body)
      .expect(200);
    expect(updated.body).toEqual({ status: 'ok' });
    expect((await get('/provider/context', frank).expect(200)).body).toEqual({
      id: 'CONTEXT',
      ...body,
    });
  });

  it('lists config with the default settings and the authorization section', async () => {
    const response = await get('/config').expect(200);
    expect(response.body.metadata).toEqual({});
    expect(response.body.items).toContainEqual({
      name: 'default_page_size',
      value: 1000,
      schema: { type: 'integer', minimum: 1 },
      is_editable: true,
      admin_only: false,
      updated_at: null,
      scope: 'rest',
      updater_name: null,
    });
    expect(response.body.items).toContainEqual(
      expect.objectContaining({ name: 'max_concurrent_workflows', scope: 'rest', value: 20 }),
    );
    expect(response.body.authorization.permissions.maintenance_mode_set).toEqual(['sys_admin']);
    expect(response.body.authorization.roles).toContainEqual(
      expect.objectContaining({ name: 'sys_admin' }),
    );

    const rest = await get('/config?scope=rest').expect(200);
    expect(rest.body).not.toHaveProperty('authorization');
    expect(new Set(rest.body.items.map((i: { scope: string }) => i.scope))).toEqual(
      new Set(['rest']),
    );
    expect((await get('/config/rest.default_page_size').expect(200)).body.value).toBe(1000);
    expect((await get('/config/task_retries').expect(200)).body.scope).toBe('workflow');
    await get('/config/nope').expect(404);
  });

  it('hides admin-only values from non-admins', async () => {
    await dataSource.query(
      `INSERT INTO config (name, scope, value, is_editable, admin_only) VALUES ('ldap_password', 'rest', '"pw"', true, true)`,
    );
    expect((await get('/config/ldap_password', frank).expect(200)).body.value).toBe('********');
    expect((await get('/config/ldap_password').expect(200)).body.value).toBe('pw');
  });

  it('lists this manager, registered at start-up, and filters by hostname', async () => {
    const response = await get('/managers', frank).expect(200);
    expect(response.body.items).toEqual([
      {
        id: expect.any(Number),
        hostname: hostname(),
        private_ip: expect.any(String),
        public_ip: expect.any(String),
        version: expect.any(String),
        edition: 'community',
        distribution: expect.any(String),
        distro_release: expect.any(String),
        fs_sync_node_id: null,
        networks: { default: expect.any(String) },
        last_seen: expect.stringMatching(/Z$/),
        ca_cert_content: null,
      },
    ]);
    expect(response.body.metadata.pagination).toEqual({ total: 1, size: 1000, offset: 0 });
    const none = await get('/managers?hostname=elsewhere').expect(200);
    expect(none.body.items).toEqual([]);
    const mine = await get(`/managers?hostname=${hostname()}&_include=hostname,edition`).expect(
      200,
    );
    expect(mine.body.items).toEqual([{ hostname: hostname(), edition: 'community' }]);
  });
});
