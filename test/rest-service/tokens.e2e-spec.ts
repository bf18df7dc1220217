import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { basic, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TOKEN_VALUE = /^ctok-([A-Za-z0-9]{10})-([A-Za-z0-9]{40})$/;

/** /tokens over real HTTP on real PostgreSQL, and tokens as credentials. */
describe('tokens API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw');
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({ env: { FAILED_LOGINS_BEFORE_LOCK: '2' } });
    dataSource = rest.dataSource;
    await createUser(dataSource, 'alice', 'alice-pw', { default_tenant: 'user' });
    await createUser(dataSource, 'carol', 'carol-pw', { default_tenant: 'user' });
  });

  afterAll(async () => {
    await rest?.close();
  });

  const createToken = (auth: string, body: object = {}) =>
    http().post('/api/v3.1/tokens').set('Authorization', auth).send(body);
  const withToken = (value: string, path = 'user') =>
    http().get(`/api/v3.1/${path}`).set('Authentication-Token', value);
  const secretHashOf = async (id: string): Promise<string> =>
    (await dataSource.query(`SELECT secret_hash FROM tokens WHERE id = $1`, [id]))[0].secret_hash;

  it('creates a token, shows its secret once and stores only a hash', async () => {
    const expiration = new Date(Date.now() + 3600_000);
    const response = await createToken(alice, {
      description: 'for CI',
      expiration_date: expiration.toISOString(),
    }).expect(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      value: expect.stringMatching(TOKEN_VALUE),
      username: 'alice',
      role: 'default',
      expiration_date: expiration.toISOString(),
      last_used: null,
      description: 'for CI',
    });
    const [, id, secret] = TOKEN_VALUE.exec(response.body.value) ?? [];
    expect(id).toBe(response.body.id);
    const stored = await secretHashOf(id);
    expect(stored).not.toContain(secret);
    expect(stored).toBe(createHash('sha256').update(secret).digest('hex'));
  });

  it('authenticates with a token, records its use and masks the secret afterwards', async () => {
    const { body: token } = await createToken(alice).expect(201);
    const me = await withToken(token.value).expect(200);
    expect(me.body.username).toBe('alice');
    expect(me.headers['x-cloudify-audit-auth-method']).toBe('token');
    expect(me.headers['x-cloudify-audit-username']).toBe('alice');

    const fetched = await http()
      .get(`/api/v3.1/tokens/${token.id}`)
      .set('Authorization', alice)
      .expect(200);
    expect(fetched.body).toEqual({
      ...token,
      value: `ctok-${token.id}-********`,
      last_used: expect.stringMatching(TIMESTAMP),
      expiration_date: null,
    });
  });

  it('lists the caller’s own tokens; sys_admin sees everyone’s', async () => {
    const { body: adminToken } = await createToken(admin, { description: 'admin' }).expect(201);
    const { body: carolToken } = await createToken(basic('carol', 'carol-pw')).expect(201);

    const mine = await http().get('/api/v3.1/tokens').set('Authorization', alice).expect(200);
    expect(mine.body.metadata.pagination).toEqual({
      total: mine.body.items.length,
      size: 1000,
      offset: 0,
    });
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const item of mine.body.items) {
      expect(item.username).toBe('alice');
      expect(item.value).toMatch(/^ctok-[A-Za-z0-9]{10}-\*{8}$/);
    }

    const all = await http().get('/api/v3.1/tokens').set('Authorization', admin).expect(200);
    const ids = all.body.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining([adminToken.id, carolToken.id]));
    expect(all.body.metadata.pagination.total).toBe(mine.body.items.length + 2);
    expect(all.body.items.find((t: { id: string }) => t.id === adminToken.id).role).toBe(
      'sys_admin',
    );

    const page = await http()
      .get('/api/v3.1/tokens?_size=1&_offset=1')
      .set('Authorization', admin)
      .expect(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.metadata.pagination).toEqual({ total: ids.length, size: 1, offset: 1 });

    // Someone else's token is not found for a non-admin.
    await http().get(`/api/v3.1/tokens/${adminToken.id}`).set('Authorization', alice).expect(404);
    await http()
      .delete(`/api/v3.1/tokens/${adminToken.id}`)
      .set('Authorization', alice)
      .expect(404);
  });

  it('deletes a token, after which it no longer authenticates', async () => {
    const { body: token } = await createToken(alice).expect(201);
    await withToken(token.value).expect(200);
    await http().delete(`/api/v3.1/tokens/${token.id}`).set('Authorization', alice).expect(204);
    const refused = await withToken(token.value).expect(401);
    expect(refused.body).toEqual({
      message: 'User unauthorized: Unauthorized',
      error_code: 'unauthorized_error',
      server_traceback: null,
    });
    await http().get(`/api/v3.1/tokens/${token.id}`).set('Authorization', alice).expect(404);
    expect(await dataSource.query(`SELECT 1 FROM tokens WHERE id = $1`, [token.id])).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const { body: token } = await createToken(alice).expect(201);
    await dataSource.query(
      `UPDATE tokens SET expiration_date = now() - interval '1 minute' WHERE id = $1`,
      [token.id],
    );
    const response = await withToken(token.value).expect(401);
    expect(response.body).toEqual({
      message: 'User unauthorized: Token is expired',
      error_code: 'unauthorized_error',
      server_traceback: null,
    });
  });

  it('refuses a malformed token and a wrong secret', async () => {
    const malformed = await withToken('ctok-invalidstructure').expect(401);
    expect(malformed.body).toEqual({
      message: 'User unauthorized: Invalid token structure',
      error_code: 'unauthorized_error',
      server_traceback: null,
    });
    const { body: token } = await createToken(alice).expect(201);
    const wrong = await withToken(`ctok-${token.id}-${'x'.repeat(40)}`).expect(401);
    expect(wrong.body.message).toBe('User unauthorized: Unauthorized');
  });

  it('refuses an expiration date in the past or that is not a date', async () => {
    const past = await createToken(alice, { expiration_date: '2001-01-01T00:00:00Z' }).expect(400);
    expect(past.body).toEqual({
      message: 'Expiration date was in the past.',
      error_code: 'bad_parameters_error',
      server_traceback: null,
    });
    await createToken(alice, { expiration_date: 'tomorrow-ish' }).expect(400);
  });

  it('refuses the token of a locked user', async () => {
    const { body: token } = await createToken(basic('carol', 'carol-pw')).expect(201);
    for (const attempt of ['bad-1', 'bad-2']) {
      await http().get('/api/v3.1/user').set('Authorization', basic('carol', attempt)).expect(401);
    }
    const response = await withToken(token.value).expect(401);
    expect(response.body.message).toBe(
      'User unauthorized: Authentication failed for <User username=`carol`>. ' +
        'Wrong credentials or locked account',
    );
  });

  it('needs credentials for every token route', async () => {
    await http().get('/api/v3.1/tokens').expect(401);
    await http().post('/api/v3.1/tokens').send({}).expect(401);
  });
});
