import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import { basic } from '../support/rest-users';

const ADMIN_PASSWORD = 'admin-secret';

/** The REST service's meta endpoints over real HTTP, on real PostgreSQL and RabbitMQ. */
describe('rest-service health and meta endpoints', () => {
  let app: INestApplication;
  const cleanups: Array<() => Promise<void>> = [];
  const admin = basic('admin', ADMIN_PASSWORD);

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    app = await createRestService(config);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('GET /api/v3.1/ok answers "OK" without credentials', async () => {
    const response = await request(app.getHttpServer()).get('/api/v3.1/ok').expect(200);
    expect(response.body).toBe('OK');
  });

  it('serves older API prefixes and the unversioned /api/version', async () => {
    await request(app.getHttpServer()).get('/api/v2.1/ok').expect(200);
    await request(app.getHttpServer()).get('/api/v3/ok').expect(200);
    const version = await request(app.getHttpServer()).get('/api/version').expect(200);
    expect(version.body).toMatchObject({
      edition: 'community',
      version: expect.any(String),
      build: null,
    });
  });

  it('GET /status reports the real PostgreSQL and RabbitMQ as remote and Active', async () => {
    const response = await request(app.getHttpServer())
      .get('/api/v3.1/status')
      .set('Authorization', admin)
      .expect(200);
    expect(response.body.services.PostgreSQL).toMatchObject({ status: 'Active', is_remote: true });
    expect(response.body.services.RabbitMQ).toMatchObject({ status: 'Active', is_remote: true });
    expect(response.body.services['Manager Rest-Service'].status).toBe('Active');
    // No worker runs in this suite, so the manager is degraded, not failed.
    expect(response.body.status).toBe('Degraded');
    const summary = await request(app.getHttpServer())
      .get('/api/v3.1/status?summary=true')
      .set('Authorization', admin)
      .expect(200);
    expect(summary.body).toEqual({ status: 'Degraded', services: {} });
  });

  it('answers unknown routes with a Cloudify error body', async () => {
    const response = await request(app.getHttpServer()).get('/api/v3.1/no-such-thing').expect(404);
    expect(response.body).toEqual({
      message: expect.stringContaining('/api/v3.1/no-such-thing'),
      error_code: 'not_found_error',
      server_traceback: null,
    });
  });

  it('migrated the database and seeded the bootstrap admin and tenant', async () => {
    const dataSource = app.get(DataSource);
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
