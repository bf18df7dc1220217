import request from 'supertest';
import { Execution, ExecutionStatus, User } from '@nestify/model';
import { Fixtures } from '../../model/fixtures';
import { basic, createUser } from '../../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../../support/rest-app';
import { waitFor } from '../../support/processes';

const ADMIN = basic('admin', TEST_ADMIN_PASSWORD);

/**
 * Security headers, authentication rate limits, the configurable body limit and the audit log,
 * over real HTTP. Clients are told apart by `X-Forwarded-For` (HTTP_TRUST_PROXY), so one IP's
 * lock-out does not spill over into the rest of the suite.
 */
describe('REST hardening', () => {
  let rest: RestTestApp;
  let ipCounter = 0;
  const nextIp = () => `10.1.0.${++ipCounter}`;
  const api = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({
      env: {
        HTTP_TRUST_PROXY: 'true',
        AUTH_RATE_LIMIT_FAILURES: '3',
        AUTH_RATE_LIMIT_TOKENS: '2',
        FAILED_LOGINS_BEFORE_LOCK: '2',
        HTTP_JSON_BODY_LIMIT_MB: '1',
        AUDIT_BATCH_LATENCY_MS: '20',
      },
    });
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      await createUser(rest.dataSource, name, `${name}-pw`, { default_tenant: 'user' });
    }
  });

  afterAll(async () => {
    await rest?.close();
  });

  describe('security headers', () => {
    it('sends the API’s security headers and a request id on API responses', async () => {
      const response = await api().get('/api/v3.1/ok').set('X-Request-Id', 'trace-42').expect(200);
      expect(response.headers).toMatchObject({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'x-request-id': 'trace-42',
      });
      // Older prefixes are the same API.
      const older = await api().get('/api/v3/ok').expect(200);
      expect(older.headers['content-security-policy']).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      const generated = await api().get('/api/v3.1/ok').set('X-Request-Id', 'bad id!').expect(200);
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('sends helmet’s document headers on what a browser renders', async () => {
      const page = await api().get('/api/docs').expect(200);
      expect(page.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'cross-origin-opener-policy': 'same-origin',
      });
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('lets Swagger UI load everything it references under its CSP', async () => {
      const page = await api().get('/api/docs').expect(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      const html = page.text;
      // Inline scripts would be refused by script-src 'self'.
      expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
      const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(2);
      for (const asset of assets.filter((a) => !a.startsWith('#'))) {
        expect(asset).not.toMatch(/^https?:/); // same origin only
        const url = new URL(asset, `${rest.baseUrl}/api/docs/`).pathname;
        await api().get(url).expect(200);
      }
    });

    it('keeps the SSE stream working, with the headers', async () => {
      const f = new Fixtures(rest.dataSource.manager);
      const execution = await f.execution();
      await rest.dataSource
        .getRepository(Execution)
        .update({ id: execution.id }, { status: ExecutionStatus.Terminated });
      await f.event(execution);
      const response = await fetch(
        `${rest.baseUrl}/api/v3.1/events/stream?execution_id=${execution.id}`,
        { headers: { Authorization: ADMIN, Tenant: 'default_tenant' } },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
      // Read until the first message arrives, then hang up (the stream lingers after the end).
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.includes('data:')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      await reader.cancel();
      expect(text).toContain('data:');
    });
  });

  describe('authentication rate limits', () => {
    const login = (ip: string, user: string, password: string) =>
      api()
        .get('/api/v3.1/user')
        .set('X-Forwarded-For', ip)
        .set('Authorization', basic(user, password));

    it('answers 429 to an IP and to a username after too many failures, without touching the lock counter', async () => {
      const ip = nextIp();
      await login(ip, 'alice', 'wrong').expect(401);
      await login(ip, 'ghost', 'wrong').expect(401);
      await login(ip, 'nobody', 'wrong').expect(401);
      const limited = await login(ip, 'bob', 'bob-pw').expect(429);
      expect(limited.body).toEqual({
        message: expect.stringContaining('Too many failed authentications'),
        error_code: 'too_many_requests_error',
        server_traceback: null,
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another IP is not affected, and alice failed only once: not limited, not locked.
      await login(nextIp(), 'bob', 'bob-pw').expect(200);
      await login(nextIp(), 'alice', 'alice-pw').expect(200);
    });

    it('limits a username across IPs, while the account lock still applies below the limit', async () => {
      await login(nextIp(), 'carol', 'wrong').expect(401);
      await login(nextIp(), 'carol', 'wrong').expect(401);
      // Two failures reach FAILED_LOGINS_BEFORE_LOCK: the right password is refused by the lock.
      await login(nextIp(), 'carol', 'carol-pw').expect(401);
      const carol = await rest.dataSource
        .getRepository(User)
        .findOneByOrFail({ username: 'carol' });
      expect(carol.failedLoginsCounter).toBe(2);
      // The third 401 reached the username's limit: from a fresh IP, carol is now refused early.
      await login(nextIp(), 'carol', 'carol-pw').expect(429);
    });

    it('limits token creation per IP and user', async () => {
      const ip = nextIp();
      const createToken = () =>
        api()
          .post('/api/v3.1/tokens')
          .set('X-Forwarded-For', ip)
          .set('Authorization', basic('dave', 'dave-pw'))
          .send({ description: 'ci' });
      await createToken().expect(201);
      await createToken().expect(201);
      const limited = await createToken().expect(429);
      expect(limited.body.error_code).toBe('too_many_requests_error');
      // dave's limit follows him to another IP.
      await api()
        .post('/api/v3.1/tokens')
        .set('X-Forwarded-For', nextIp())
        .set('Authorization', basic('dave', 'dave-pw'))
        .send({})
        .expect(429);
    });
  });

  it('refuses a JSON body over HTTP_JSON_BODY_LIMIT_MB with 413 in Cloudify’s shape', async () => {
    const response = await api()
      .put('/api/v3.1/sites/too-big')
      .set('X-Forwarded-For', nextIp())
      .set('Authorization', ADMIN)
      .set('Tenant', 'default_tenant')
      .set('Content-Type', 'application/json')
      .send(`{"location":"${'x'.repeat(1100 * 1024)}"}`)
      .expect(413);
    expect(response.body).toMatchObject({
      error_code: 'payload_too_large_error',
      server_traceback: null,
    });
  });

  describe('audit log', () => {
    const asAdmin = <T extends request.Test>(test: T) =>
      test
        .set('X-Forwarded-For', '10.9.9.9')
        .set('Authorization', ADMIN)
        .set('Tenant', 'default_tenant');

    it('records mutating requests, never their secrets, and lists them to sys_admin with filters', async () => {
      const secretValue = `s3cr3t-${Date.now()}`;
      const put = await asAdmin(api().put('/api/v3.1/secrets/audit-key')).send({
        value: secretValue,
      });
      expect(put.status).toBeLessThan(300);
      await asAdmin(api().put('/api/v3.1/sites/audited?x=secret-query')).send({}).expect(200);
      await asAdmin(api().delete('/api/v3.1/sites/audited')).expect(204);
      await asAdmin(api().get('/api/v3.1/sites')).expect(200); // reads are not audited
      await api().post('/api/v3.1/sites/nobody').set('X-Forwarded-For', nextIp()).expect(401);

      const list = async (query: Record<string, string>) =>
        (await asAdmin(api().get('/api/v3.1/audit-log')).query(query).expect(200)).body;
      const rows = await waitFor('audit rows', async () => {
        const body = await list({ path: '/api/v3.1/sites/audited' });
        return body.items.length === 2 ? body : undefined;
      });
      expect(rows.items.map((i: { method: string }) => i.method).sort()).toEqual(['DELETE', 'PUT']);
      expect(rows.items[0]).toMatchObject({
        username: 'admin',
        tenant_name: 'default_tenant',
        path: '/api/v3.1/sites/audited',
        ip: '10.9.9.9',
        request_id: expect.any(String),
        created_at: expect.stringMatching(/Z$/),
      });
      expect(rows.metadata.pagination.total).toBe(2);

      const secretRow = await list({ method: 'PUT', path: '/api/v3.1/secrets/audit-key' });
      expect(secretRow.items).toHaveLength(1);
      expect(secretRow.items[0].request_id).toBe(put.headers['x-request-id']);
      const anonymous = await waitFor('the refused request', async () => {
        const body = await list({ path: '/api/v3.1/sites/nobody' });
        return body.items.length ? body.items[0] : undefined;
      });
      expect(anonymous).toMatchObject({ username: null, status: 401, method: 'POST' });
      expect((await list({ _since: '2999-01-01T00:00:00Z' })).items).toEqual([]);

      const everything = JSON.stringify((await list({ _get_all_results: 'true' })).items);
      expect(everything).not.toContain(secretValue);
      expect(everything).not.toContain('secret-query');
      expect(everything).not.toContain(TEST_ADMIN_PASSWORD);
    });

    it('is for sys_admin only and validates its parameters', async () => {
      const denied = await api()
        .get('/api/v3.1/audit-log')
        .set('X-Forwarded-For', nextIp())
        .set('Authorization', basic('bob', 'bob-pw'))
        .set('Tenant', 'default_tenant')
        .expect(403);
      expect(denied.body.error_code).toBe('forbidden_error');
      await asAdmin(api().get('/api/v3.1/audit-log')).query({ _since: 'yesterday' }).expect(400);
      await asAdmin(api().get('/api/v3.1/audit-log')).query({ password: 'x' }).expect(400);
    });
  });
});
