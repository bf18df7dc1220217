import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { NodeInstance } from '@nestify/model';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import { basic } from '../support/rest-users';

const ADMIN_PASSWORD = 'admin-secret';

/** Request bodies: large ones the workflow engine sends pass; oversized or broken ones are 4xx. */
describe('request body limits', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  const cleanups: Array<() => Promise<void>> = [];
  const post = (path: string) =>
    request(app.getHttpServer())
      .post(`/api/v3.1/${path}`)
      .set('Authorization', basic('admin', ADMIN_PASSWORD))
      .set('Tenant', 'default_tenant');

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
    dataSource = app.get(DataSource);
    const f = new Fixtures(dataSource.manager);
    const deployment = await f.deployment(undefined, 'big-dep');
    await f.node(deployment, 'host');
    await f.node(deployment, 'app');
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('accepts a realistic bulk insert well over Express’s default 100 KB', async () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => ({
      id: `host_h${String(i).padStart(5, '0')}`,
      node_id: 'host',
    }));
    const apps = hosts.map((host, i) => ({
      id: `app_a${String(i).padStart(5, '0')}`,
      node_id: 'app',
      host_id: host.id,
      relationships: [
        { target_id: host.id, target_name: 'host', type: 'cloudify.relationships.contained_in' },
      ],
      scaling_groups: [],
    }));
    const body = { deployment_id: 'big-dep', node_instances: [...hosts, ...apps] };
    expect(JSON.stringify(body).length).toBeGreaterThan(200 * 1024);
    await post('node-instances').send(body).expect(201);
    expect(await dataSource.getRepository(NodeInstance).count()).toBe(2000);
  });

  it('answers a body over the limit with 413 and one unparsable with 400, both in Cloudify’s shape', async () => {
    const huge = await post('node-instances')
      .set('Content-Type', 'application/json')
      .send(`{"deployment_id":"big-dep","padding":"${'x'.repeat(51 * 1024 * 1024)}"}`)
      .expect(413);
    expect(huge.body).toMatchObject({
      error_code: 'payload_too_large_error',
      server_traceback: null,
    });
    const broken = await post('node-instances')
      .set('Content-Type', 'application/json')
      .send('{"deployment_id": ')
      .expect(400);
    expect(broken.body).toMatchObject({
      error_code: 'bad_parameters_error',
      server_traceback: null,
    });
  });
});
