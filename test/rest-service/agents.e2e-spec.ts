import request from 'supertest';
import { DataSource } from 'typeorm';
import { Agent, Tenant } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** /agents over real HTTP: agents registering themselves, then listed and filtered. */
describe('agents API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const erin = basic('erin', 'erin-pw');
  const http = () => request(rest.baseUrl);
  const as = (req: request.Test, auth = admin, tenant = 'default_tenant'): request.Test =>
    req.set('Authorization', auth).set('Tenant', tenant);
  const api = (path: string) => `/api/v3.1${path}`;

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    const f = new Fixtures(dataSource.manager);
    const web = await f.deployment(undefined, 'web');
    const db = await f.deployment(undefined, 'db');
    await f.nodeInstance(await f.node(web, 'vm'), 'vm_aaaaaa');
    await f.nodeInstance(await f.node(db, 'host'), 'host_bbbbbb');
    // Another tenant's agent, which erin (a member there only) may see.
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'erin', 'erin-pw', { tenant_b: 'operations' });
    const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
    const other = await f.deployment({ tenantId: tenantB.id }, 'other');
    await f.nodeInstance(await f.node(other, 'vm'), 'vm_cccccc');
    await as(
      http().put(api('/agents/vm_cccccc')).send({
        node_instance_id: 'vm_cccccc',
        state: 'started',
        create_rabbitmq_user: false,
        install_method: 'remote',
      }),
      erin,
      'tenant_b',
    ).expect(200);
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('registers an agent for a node instance, keeping its broker password encrypted', async () => {
    const created = await as(http().put(api('/agents/vm_aaaaaa'))).send({
      node_instance_id: 'vm_aaaaaa',
      state: 'creating',
      create_rabbitmq_user: true,
      ip: '10.0.0.5',
      install_method: 'remote',
      system: 'linux',
      version: '7.1.0',
      rabbitmq_username: 'agent_vm',
      rabbitmq_password: 's3cret',
      rabbitmq_exchange: 'vm_aaaaaa',
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 'vm_aaaaaa',
      name: 'vm_aaaaaa',
      host_id: 'vm_aaaaaa',
      node_instance_id: 'vm_aaaaaa',
      node: 'vm',
      deployment: 'web',
      ip: '10.0.0.5',
      install_method: 'remote',
      system: 'linux',
      version: '7.1.0',
      state: 'creating',
      rabbitmq_exchange: 'vm_aaaaaa',
      rabbitmq_username: 'agent_vm',
      rabbitmq_password: 's3cret',
      visibility: 'tenant',
      tenant_name: 'default_tenant',
      created_by: 'admin',
      created_at: expect.stringMatching(/Z$/),
    });
    const stored = await dataSource.getRepository(Agent).findOneByOrFail({ id: 'vm_aaaaaa' });
    expect(stored.rabbitmqPassword).not.toContain('s3cret');
    // Registering again (reinstall, heal) answers the existing agent.
    await as(http().put(api('/agents/vm_aaaaaa')))
      .send({
        node_instance_id: 'vm_aaaaaa',
        state: 'started',
        create_rabbitmq_user: false,
        install_method: 'remote',
      })
      .expect(200);
    await as(http().put(api('/agents/host_bbbbbb')))
      .send({
        node_instance_id: 'host_bbbbbb',
        state: 'started',
        create_rabbitmq_user: false,
        install_method: 'init_script',
      })
      .expect(200);
  });

  it('refuses an unknown state or node instance', async () => {
    const badState = await as(http().put(api('/agents/x1'))).send({
      node_instance_id: 'vm_aaaaaa',
      state: 'dancing',
      create_rabbitmq_user: false,
      install_method: 'remote',
    });
    expect(badState.status).toBe(400);
    expect(badState.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: 'Invalid agent state: `dancing`.',
    });
    await as(http().put(api('/agents/x2')))
      .send({
        node_instance_id: 'nope_000000',
        state: 'started',
        create_rabbitmq_user: false,
        install_method: 'remote',
      })
      .expect(404);
  });

  it('updates state, system and version', async () => {
    const updated = await as(http().patch(api('/agents/vm_aaaaaa')))
      .send({ state: 'started', version: '7.1.1' })
      .expect(200);
    expect(updated.body).toMatchObject({ state: 'started', version: '7.1.1', system: 'linux' });
    expect(updated.body.updated_at).toMatch(/Z$/);
    await as(http().patch(api('/agents/vm_aaaaaa')))
      .send({ state: 'flying' })
      .expect(400);
    await as(http().patch(api('/agents/ghost')))
      .send({ state: 'started' })
      .expect(404);
  });

  it('lists the tenant agents without credentials unless _get_data, with filters and search', async () => {
    const all = await as(http().get(api('/agents'))).expect(200);
    expect(all.body.items.map((a: { id: string }) => a.id)).toEqual(['vm_aaaaaa', 'host_bbbbbb']);
    expect(all.body.items[0]).not.toHaveProperty('rabbitmq_password');
    expect(all.body.metadata.pagination).toEqual({ total: 2, size: 1000, offset: 0 });
    const withData = await as(http().get(api('/agents?_get_data=true&id=vm_aaaaaa'))).expect(200);
    expect(withData.body.items[0]).toMatchObject({ rabbitmq_password: 's3cret' });

    const ids = async (query: string) =>
      (await as(http().get(api(`/agents?${query}`))).expect(200)).body.items.map(
        (a: { id: string }) => a.id,
      );
    expect(await ids('deployment_id=db')).toEqual(['host_bbbbbb']);
    expect(await ids('node_ids=vm')).toEqual(['vm_aaaaaa']);
    expect(await ids('node_instance_ids=host_bbbbbb&node_instance_ids=vm_aaaaaa')).toEqual([
      'vm_aaaaaa',
      'host_bbbbbb',
    ]);
    expect(await ids('install_methods=init_script')).toEqual(['host_bbbbbb']);
    expect(await ids('state=started')).toEqual(['vm_aaaaaa', 'host_bbbbbb']);
    expect(await ids('_search=HOST')).toEqual(['host_bbbbbb']);
    expect(await ids('_sort=-name&_size=1')).toEqual(['vm_aaaaaa']);
    await as(http().get(api('/agents?colour=red'))).expect(400);
  });

  it('gets one agent with its credentials, and keeps tenants apart', async () => {
    const one = await as(http().get(api('/agents/vm_aaaaaa'))).expect(200);
    expect(one.body).toMatchObject({
      id: 'vm_aaaaaa',
      rabbitmq_username: 'agent_vm',
      rabbitmq_password: 's3cret',
    });
    await as(http().get(api('/agents/vm_cccccc'))).expect(404);
    const theirs = await as(http().get(api('/agents')), erin, 'tenant_b').expect(200);
    expect(theirs.body.items.map((a: { id: string }) => a.id)).toEqual(['vm_cccccc']);
    await as(http().get(api('/agents/vm_aaaaaa')), erin, 'tenant_b').expect(404);
    await as(http().get(api('/agents')), erin).expect(403);
    const everywhere = await as(http().get(api('/agents?_all_tenants=true'))).expect(200);
    expect(everywhere.body.metadata.pagination.total).toBe(3);
  });
});
