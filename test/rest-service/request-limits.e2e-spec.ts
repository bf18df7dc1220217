import request from 'supertest';
import { DataSource } from 'typeorm';
import { NodeInstance } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** Request bodies: large ones the workflow engine sends pass; oversized or broken ones are 4xx. */
describe('request body limits', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const post = (path: string) =>
    request(rest.baseUrl)
      .post(`/api/v3.1/${path}`)
      .set('Authorization', basic('admin', TEST_ADMIN_PASSWORD))
      .set('Tenant', 'default_tenant');

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    const f = new Fixtures(dataSource.manager);
    const deployment = await f.deployment(undefined, 'big-dep');
    await f.node(deployment, 'host');
    await f.node(deployment, 'app');
  });

  afterAll(async () => {
    await rest?.close();
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
