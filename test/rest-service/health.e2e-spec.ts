import request from 'supertest';
import { DataSource } from 'typeorm';
import { basic } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** The REST service's meta endpoints over real HTTP, on real PostgreSQL and RabbitMQ. */
describe('rest-service health and meta endpoints', () => {
  let rest: RestTestApp;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);

  beforeAll(async () => {
    rest = await startRestTestApp();
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('GET /api/v3.1/ok answers "OK" without credentials', async () => {
    const response = await request(rest.baseUrl).get('/api/v3.1/ok').expect(200);
    expect(response.body).toBe('OK');
  });

  it('serves older API prefixes and the unversioned /api/version', async () => {
    await request(rest.baseUrl).get('/api/v2.1/ok').expect(200);
    await request(rest.baseUrl).get('/api/v3/ok').expect(200);
    const version = await request(rest.baseUrl).get('/api/version').expect(200);
    expect(version.body).toMatchObject({
      edition: 'community',
      version: expect.any(String),
      build: null,
    });
  });

  it('GET /status reports the real PostgreSQL and RabbitMQ as remote and Active', async () => {
    const response = await request(rest.baseUrl)
      .get('/api/v3.1/status')
      .set('Authorization', admin)
      .expect(200);
    expect(response.body.services.PostgreSQL).toMatchObject({ status: 'Active', is_remote: true });
    expect(response.body.services.RabbitMQ).toMatchObject({ status: 'Active', is_remote: true });
    expect(response.body.services['Manager Rest-Service'].status).toBe('Active');
    // No worker runs in this suite, so the manager is degraded, not failed.
    expect(response.body.status).toBe('Degraded');
    const summary = await request(rest.baseUrl)
      .get('/api/v3.1/status?summary=true')
      .set('Authorization', admin)
      .expect(200);
    expect(summary.body).toEqual({ status: 'Degraded', services: {} });
  });

  it('answers unknown routes with a Cloudify error body', async () => {
    const response = await request(rest.baseUrl).get('/api/v3.1/no-such-thing').expect(404);
    expect(response.body).toEqual({
      message: expect.stringContaining('/api/v3.1/no-such-thing'),
      error_code: 'not_found_error',
      server_traceback: null,
    });
  });

  it('migrated the database and seeded the bootstrap admin and tenant', async () => {
    const dataSource = rest.app.get(DataSource);
    const [admin] = await dataSource.query(
      `SELECT id, username FROM users WHERE username = 'admin'`,
    );
    expect(admin).toEqual({ id: 0, username: 'admin' });
    const [tenant] = await dataSource.query(
      `SELECT id, name FROM tenants WHERE name = 'default_tenant'`,
    );
    expect(tenant).toEqual({ id: 0, name: 'default_tenant' });
  });
});
