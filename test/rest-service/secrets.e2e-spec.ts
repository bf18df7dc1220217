import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Secret } from '@nestify/model';
import { SecretCipher } from '../../apps/rest-service/src/secrets/secret-cipher';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * /secrets over real HTTP on real PostgreSQL: values encrypted at rest with SECRETS_KEY, hidden
 * values, tenant isolation and visibility.
 */
describe('secrets API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const key = randomBytes(32);
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const carol = basic('carol', 'carol-pw'); // user in tenant_a
  const mona = basic('mona', 'mona-pw'); // manager of tenant_a
  const victor = basic('victor', 'victor-pw'); // viewer in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({ env: { SECRETS_KEY: key.toString('base64') } });
    dataSource = rest.dataSource;
    await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'carol', 'carol-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'mona', 'mona-pw', { tenant_a: 'manager' });
    await createUser(dataSource, 'victor', 'victor-pw', { tenant_a: 'viewer' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterAll(async () => {
    await rest?.close();
  });

  const call = (
    method: 'get' | 'put' | 'patch' | 'delete',
    path: string,
    auth = alice,
    tenant = 'tenant_a',
  ) => http()[method](`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const put = (name: string, body: object, auth = alice, tenant = 'tenant_a') =>
    call('put', `secrets/${name}`, auth, tenant).send(body);
  const storedValue = async (name: string, tenantName = 'tenant_a') => {
    const row = await dataSource
      .getRepository(Secret)
      .findOneOrFail({ where: { id: name, tenant: { name: tenantName } } });
    return row.value ?? '';
  };

  it('creates a secret, returns it decrypted and stores only ciphertext', async () => {
    const created = await put('db_password', { value: 'hunter2' }).expect(200);
    expect(created.body).toEqual({
      key: 'db_password',
      value: 'hunter2',
      created_at: expect.stringMatching(TIMESTAMP),
      updated_at: expect.stringMatching(TIMESTAMP),
      resource_availability: 'tenant',
      visibility: 'tenant',
      tenant_name: 'tenant_a',
      created_by: 'alice',
      is_hidden_value: false,
      schema: null,
      provider_name: null,
      provider_options: null,
    });
    const stored = await storedValue('db_password');
    expect(stored).not.toContain('hunter2');
    expect(stored).toMatch(/^v1:/);
    expect(new SecretCipher(key).decrypt(stored)).toBe('hunter2');
    const fetched = await call('get', 'secrets/db_password').expect(200);
    expect(fetched.body.value).toBe('hunter2');
    const skipped = await call('get', 'secrets/db_password?_skip_value=true').expect(200);
    expect(skipped.body.value).toBe('');
  });

  it('refuses duplicates unless update_if_exists, bad keys and empty values', async () => {
    const duplicate = await put('db_password', { value: 'other' }).expect(409);
    expect(duplicate.body).toMatchObject({ error_code: 'conflict_error', server_traceback: null });
    const updated = await put('db_password', { value: 'rotated', update_if_exists: true }).expect(
      200,
    );
    expect(updated.body.value).toBe('rotated');
    expect(new SecretCipher(key).decrypt(await storedValue('db_password'))).toBe('rotated');
    const badKey = await put('1st', { value: 'x' }).expect(400);
    expect(badKey.body.message).toMatch(/must begin with a letter/);
    await put('bad$key', { value: 'x' }).expect(400);
    const empty = await put('empty', { value: '' }).expect(400);
    expect(empty.body.message).toBe('Cannot create a secret with empty value or provider: empty');
    const notText = await put('structured', { value: { a: 1 } }).expect(400);
    expect(notText.body.error_code).toBe('bad_parameters_error');
  });

  it('keeps JSON values that satisfy a schema', async () => {
    const schema = {
      type: 'object',
      required: ['port'],
      properties: { port: { type: 'integer' } },
    };
    const created = await put('endpoint', { value: { port: 8080 }, schema }).expect(200);
    expect(created.body).toMatchObject({ value: { port: 8080 }, schema });
    expect(new SecretCipher(key).decrypt(await storedValue('endpoint'))).toBe('{"port":8080}');
    const invalid = await put('endpoint2', { value: { port: 'x' }, schema }).expect(409);
    expect(invalid.body.message).toMatch(/^Error validating secret value: "x" is not of type/);
    await call('patch', 'secrets/endpoint')
      .send({ value: { port: 'no' } })
      .expect(409);
    const patched = await call('patch', 'secrets/endpoint')
      .send({ value: { port: 9 } })
      .expect(200);
    expect(patched.body.value).toEqual({ port: 9 });
  });

  it('lists without values, with the shared list parameters', async () => {
    await put('api_token', { value: 't0k3n' }).expect(200);
    const list = await call('get', 'secrets?_sort=key').expect(200);
    expect(list.body.metadata.pagination).toEqual({ total: 3, size: 1000, offset: 0 });
    expect(list.body.items.map((s: { key: string }) => s.key)).toEqual([
      'api_token',
      'db_password',
      'endpoint',
    ]);
    for (const item of list.body.items) expect(item).not.toHaveProperty('value');
    expect(Object.keys(list.body.items[0]).sort()).toEqual(
      [
        'created_at',
        'created_by',
        'is_hidden_value',
        'key',
        'provider_name',
        'resource_availability',
        'tenant_name',
        'updated_at',
        'visibility',
      ].sort(),
    );
    const search = await call('get', 'secrets?_search=TOK&_include=key').expect(200);
    expect(search.body.items).toEqual([{ key: 'api_token' }]);
    await call('get', 'secrets?value=x').expect(400);
  });

  it('masks a hidden value for other users of the tenant but not for its creator or managers', async () => {
    await put('root_pw', { value: 'top-secret', is_hidden_value: true }).expect(200);
    const other = await call('get', 'secrets/root_pw', carol).expect(200);
    expect(other.body).toMatchObject({ value: '', is_hidden_value: true });
    expect((await call('get', 'secrets/root_pw', alice).expect(200)).body.value).toBe('top-secret');
    expect((await call('get', 'secrets/root_pw', mona).expect(200)).body.value).toBe('top-secret');
    expect((await call('get', 'secrets/root_pw', admin).expect(200)).body.value).toBe('top-secret');
    const denied = await call('patch', 'secrets/root_pw', carol)
      .send({ value: 'mine' })
      .expect(403);
    expect(denied.body.message).toBe(
      'User `carol` is not permitted to modify the hidden value secret `root_pw`',
    );
    await call('delete', 'secrets/root_pw', carol).expect(403);
    const hide = await call('patch', 'secrets/api_token', carol)
      .send({ is_hidden_value: true })
      .expect(403);
    expect(hide.body.message).toMatch(/to be hidden value/);
  });

  it('keeps tenants apart', async () => {
    await call('get', 'secrets/db_password', bob, 'tenant_b').expect(404);
    const list = await call('get', 'secrets', bob, 'tenant_b').expect(200);
    expect(list.body.metadata.pagination.total).toBe(0);
    await call('patch', 'secrets/db_password', bob, 'tenant_b').send({ value: 'x' }).expect(404);
    await call('delete', 'secrets/db_password', bob, 'tenant_b').expect(404);
    const own = await put('db_password', { value: 'b-side' }, bob, 'tenant_b').expect(200);
    expect(own.body).toMatchObject({ tenant_name: 'tenant_b', value: 'b-side' });
    expect((await call('get', 'secrets/db_password').expect(200)).body.value).toBe('rotated');
    await call('get', 'secrets', bob, 'tenant_a').expect(403);
  });

  it('shares global secrets with every tenant; only admins make them, only their tenant changes them', async () => {
    const refused = await put('shared', { value: 'x', visibility: 'global' }).expect(403);
    expect(refused.body.message).toBe(
      'User `alice` is not permitted to set or create a global resource',
    );
    await put('shared', { value: 'for-all', visibility: 'global' }, admin).expect(200);
    const fromB = await call('get', 'secrets/shared', bob, 'tenant_b').expect(200);
    expect(fromB.body).toMatchObject({ value: 'for-all', tenant_name: 'tenant_a' });
    const outside = await call('patch', 'secrets/shared', bob, 'tenant_b')
      .send({ value: 'mine' })
      .expect(400);
    expect(outside.body).toMatchObject({ error_code: 'illegal_action_error' });
    await put('shared', { value: 'x' }, bob, 'tenant_b').expect(409);
    const narrow = await call('patch', 'secrets/shared/set-visibility', admin)
      .send({ visibility: 'tenant' })
      .expect(400);
    expect(narrow.body.message).toBe(
      "Can't set the visibility of `shared` to tenant because it already has wider visibility",
    );
    // db_password exists in both tenants, so it cannot become global.
    await call('patch', 'secrets/db_password/set-visibility', admin)
      .send({ visibility: 'global' })
      .expect(409);
    const widened = await call('patch', 'secrets/api_token/set-visibility', admin)
      .send({ visibility: 'global' })
      .expect(200);
    expect(widened.body.visibility).toBe('global');
  });

  it('updates visibility and owner, refuses empty updates, and deletes', async () => {
    await put('mine', { value: 'v', visibility: 'private' }).expect(200);
    await call('get', 'secrets/mine', carol).expect(404);
    const patched = await call('patch', 'secrets/mine').send({ visibility: 'tenant' }).expect(200);
    expect(patched.body.visibility).toBe('tenant');
    await call('patch', 'secrets/mine').send({}).expect(400);
    const owner = await call('patch', 'secrets/mine').send({ creator: 'carol' }).expect(403);
    expect(owner.body.message).toMatch(/set_owner/);
    const chown = await call('patch', 'secrets/mine', admin).send({ creator: 'carol' }).expect(200);
    expect(chown.body.created_by).toBe('carol');
    await call('patch', 'secrets/mine', admin).send({ creator: 'nobody' }).expect(400);
    await call('delete', 'secrets/mine', victor).expect(403);
    await call('delete', 'secrets/mine').expect(204);
    const gone = await call('get', 'secrets/mine').expect(404);
    expect(gone.body.message).toBe('Requested `Secret` with ID `mine` was not found');
  });
});
