import request from 'supertest';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** GET /secrets/share/export and POST /secrets/share/import over real HTTP and PostgreSQL. */
describe('secrets export/import', () => {
  let rest: RestTestApp;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw');
  const victor = basic('victor', 'victor-pw');
  const http = () => request(rest.baseUrl);
  const put = (key: string, value: string, tenant: string, extra: object = {}) =>
    http()
      .put(`/api/v3.1/secrets/${key}`)
      .set('Authorization', admin)
      .set('Tenant', tenant)
      .send({ value, ...extra })
      .expect(200);
  const exportFrom = (tenant: string, query = '', auth = admin) =>
    http()
      .get(`/api/v3.1/secrets/share/export${query}`)
      .set('Authorization', auth)
      .set('Tenant', tenant);
  const importInto = (body: object, auth = admin, tenant = 'default_tenant') =>
    http()
      .post('/api/v3.1/secrets/share/import')
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send(body);
  const valueOf = async (key: string, tenant: string) =>
    (
      await http()
        .get(`/api/v3.1/secrets/${key}`)
        .set('Authorization', admin)
        .set('Tenant', tenant)
        .expect(200)
    ).body.value;

  beforeAll(async () => {
    rest = await startRestTestApp();
    for (const name of ['tenant_a', 'tenant_b', 'tenant_c', 'tenant_d'])
      await createTenant(rest.dataSource, name);
    await createUser(rest.dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(rest.dataSource, 'victor', 'victor-pw', { tenant_a: 'viewer' });
    await put('db_password', 'hunter2', 'tenant_a');
    await put('api_key', 'k-123', 'tenant_a', { is_hidden_value: true });
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('exports values in plain text and imports them into another tenant through tenant_map', async () => {
    const exported = (await exportFrom('tenant_a', '?_include_metadata=true').expect(200)).body;
    expect(exported).toHaveLength(2);
    expect(exported[0]).toMatchObject({
      key: 'db_password',
      value: 'hunter2',
      tenant_name: 'tenant_a',
      visibility: 'tenant',
      is_hidden_value: false,
      encrypted: false,
      creator: 'admin',
    });
    const result = await importInto({
      secrets_list: exported,
      tenant_map: { tenant_a: 'tenant_b' },
      override_collisions: false,
    }).expect(200);
    expect(result.body).toEqual({ colliding_secrets: {}, secrets_errors: {} });
    expect(await valueOf('db_password', 'tenant_b')).toBe('hunter2');
    expect(await valueOf('api_key', 'tenant_b')).toBe('k-123');
  });

  it('encrypts values under a passphrase and needs the same one to import them', async () => {
    const exported = (
      await exportFrom('tenant_a', '?_passphrase=open-sesame&_search=db').expect(200)
    ).body;
    expect(exported).toHaveLength(1);
    expect(exported[0].encrypted).toBe(true);
    expect(exported[0].value).not.toContain('hunter2');
    const into = (tenant: string, passphrase?: string) =>
      importInto({
        secrets_list: exported,
        tenant_map: { tenant_a: tenant },
        passphrase,
        override_collisions: false,
      }).expect(200);
    const wrong = await into('tenant_c', 'not-it');
    expect(wrong.body.secrets_errors['0'].value).toMatch(/Cannot decrypt/);
    const none = await into('tenant_c');
    expect(none.body.secrets_errors['0']).toHaveProperty('No passphrase');
    await http()
      .get('/api/v3.1/secrets/db_password')
      .set('Authorization', admin)
      .set('Tenant', 'tenant_c')
      .expect(404);
    expect((await into('tenant_c', 'open-sesame')).body.secrets_errors).toEqual({});
    expect(await valueOf('db_password', 'tenant_c')).toBe('hunter2');
  });

  it('reports collisions, replacing the values only with override_collisions', async () => {
    await put('token', 'old', 'tenant_d');
    const entry = {
      key: 'token',
      value: 'new',
      tenant_name: 'tenant_d',
      visibility: 'tenant',
      is_hidden_value: false,
      encrypted: false,
    };
    const kept = await importInto({ secrets_list: [entry], override_collisions: false }).expect(
      200,
    );
    expect(kept.body.colliding_secrets).toEqual({ tenant_d: ['token'] });
    expect(await valueOf('token', 'tenant_d')).toBe('old');
    const replaced = await importInto({ secrets_list: [entry], override_collisions: true }).expect(
      200,
    );
    expect(replaced.body.colliding_secrets).toEqual({ tenant_d: ['token'] });
    expect(await valueOf('token', 'tenant_d')).toBe('new');
  });

  it('reports bad entries by index and refuses unknown destination tenants', async () => {
    const result = await importInto({
      secrets_list: [
        {
          key: 'x',
          value: 'v',
          tenant_name: 'nowhere',
          visibility: 'sideways',
          is_hidden_value: 'yes',
        },
      ],
      override_collisions: false,
    }).expect(200);
    expect(result.body.secrets_errors['0']).toMatchObject({
      'missing secret fields': ['encrypted'],
      is_hidden_value: 'Not boolean',
      visibility: 'Not a valid visibility',
      tenant_name: 'The tenant `nowhere` was not found',
    });
    const missing = await importInto({
      secrets_list: [],
      tenant_map: { a: 'ghost' },
      override_collisions: false,
    }).expect(400);
    expect(missing.body.error_code).toBe('bad_parameters_error');
  });

  it('checks roles: export and import permissions, hidden values, creating in the target tenant', async () => {
    await exportFrom('tenant_a', '', victor).expect(403);
    await importInto({ secrets_list: [], override_collisions: false }, victor, 'tenant_a').expect(
      403,
    );
    // alice (user in tenant_a) may export, but not others' hidden values.
    const exported = (await exportFrom('tenant_a', '', alice).expect(200)).body;
    expect(exported.map((s: { key: string }) => s.key)).toEqual(['db_password']);
    // …and may not create secrets in a tenant she is not a member of.
    const result = await importInto(
      { secrets_list: exported, tenant_map: { tenant_a: 'tenant_b' }, override_collisions: false },
      alice,
      'tenant_a',
    ).expect(200);
    expect(result.body.secrets_errors['0'].tenant_name).toMatch(
      /not permitted to perform the action secret_create/,
    );
  });
});
