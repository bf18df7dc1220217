import request from 'supertest';
import { DataSource } from 'typeorm';
import { Tenant } from '@nestify/model';
import { basic } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/**
 * /tenants over real HTTP on real PostgreSQL: sys_admin creates tenants and places users in
 * them with a role, which is what then lets those users work there.
 */
describe('tenants API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const erin = basic('erin', 'erin-pw1');
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
  });

  afterAll(async () => {
    await rest?.close();
  });

  const call = (method: 'get' | 'put' | 'patch' | 'post' | 'delete', path: string, auth = admin) =>
    http()[method](`/api/v3.1/${path}`).set('Authorization', auth);
  const sites = (method: 'get' | 'put', tenant: string, auth = erin) =>
    http()
      [method](`/api/v3.1/sites${method === 'put' ? '/erins-site' : ''}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send({});

  it('creates a tenant with rabbit credentials kept encrypted', async () => {
    const created = await call('post', 'tenants/team_a').expect(201);
    expect(created.body).toEqual({
      name: 'team_a',
      users: 0,
      groups: 0,
      user_roles: null,
      rabbitmq_username: null,
      rabbitmq_password: null,
      rabbitmq_vhost: null,
    });
    const row = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'team_a' });
    expect(row.rabbitmqPassword).toMatch(/^v1:/);
    const fetched = await call('get', 'tenants/team_a').expect(200);
    expect(fetched.body).toMatchObject({
      rabbitmq_username: 'rabbitmq_user_team_a',
      rabbitmq_vhost: 'rabbitmq_vhost_team_a',
      rabbitmq_password: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it('refuses duplicate, bad and reserved names, and unknown tenants', async () => {
    const duplicate = await call('post', 'tenants/team_a').expect(409);
    expect(duplicate.body.error_code).toBe('conflict_error');
    await call('post', 'tenants/9lives').expect(400);
    const reserved = await call('post', 'tenants/users').expect(400);
    expect(reserved.body.message).toMatch(/is not allowed as a tenant name/);
    const missing = await call('get', 'tenants/nowhere').expect(404);
    expect(missing.body.message).toBe('Requested `Tenant` with ID `nowhere` was not found');
    await call('delete', 'tenants/nowhere').expect(404);
  });

  it('lets a user work in a tenant only once added, with what its role allows', async () => {
    await call('put', 'users')
      .send({ username: 'erin', password: 'erin-pw1', role: 'default' })
      .expect(201);
    await sites('get', 'team_a').expect(403);
    const added = await call('put', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin', role: 'viewer' })
      .expect(200);
    expect(added.body).toMatchObject({ name: 'team_a', users: 1, groups: 0 });
    await sites('get', 'team_a').expect(200);
    await sites('put', 'team_a').expect(403);
    await call('patch', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin', role: 'user' })
      .expect(200);
    await sites('put', 'team_a').expect(200);
    const detailed = await call('get', 'tenants/team_a?_get_data=true').expect(200);
    expect(detailed.body).toMatchObject({
      users: { erin: { 'tenant-role': 'user', roles: ['user'] } },
      groups: {},
      user_roles: { direct: { erin: 'user' }, groups: {} },
    });
    const profile = await call('get', 'user?_get_data=true', erin).expect(200);
    expect(profile.body.tenants).toEqual({ team_a: { 'tenant-role': 'user', roles: ['user'] } });
  });

  it('refuses bad membership requests', async () => {
    const twice = await call('put', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin', role: 'user' })
      .expect(409);
    expect(twice.body.message).toBe('User `erin` is already associated with tenant `team_a`');
    await call('put', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'nobody', role: 'user' })
      .expect(404);
    await call('put', 'tenants/users')
      .send({ tenant_name: 'nowhere', username: 'erin', role: 'user' })
      .expect(404);
    const badRole = await call('patch', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin', role: 'sys_admin' })
      .expect(400);
    expect(badRole.body.message).toBe(
      'Role `sys_admin` is a system_role and cannot be assigned as a tenant_role',
    );
    await call('patch', 'tenants/users')
      .send({ tenant_name: 'default_tenant', username: 'erin', role: 'user' })
      .expect(404);
    await call('put', 'tenants/users').send({ tenant_name: 'team_a' }).expect(400);
  });

  it('shows non-admins only their tenants and keeps management to sys_admin', async () => {
    const mine = await call('get', 'tenants', erin).expect(200);
    expect(mine.body.items.map((t: { name: string }) => t.name)).toEqual(['team_a']);
    const all = await call('get', 'tenants?_sort=name').expect(200);
    expect(all.body.items.map((t: { name: string }) => t.name)).toEqual([
      'default_tenant',
      'team_a',
    ]);
    expect(all.body.items[0]).toMatchObject({ users: 1, rabbitmq_password: null });
    await call('get', 'tenants/team_a', erin).expect(200);
    await call('get', 'tenants/default_tenant', erin).expect(403);
    await call('get', 'tenants?_get_data=true', erin).expect(403);
    const create = await call('post', 'tenants/erins', erin).expect(403);
    expect(create.body.message).toBe(
      'User `erin` is not permitted to perform the action tenant_create',
    );
    await call('delete', 'tenants/team_a', erin).expect(403);
    await call('put', 'tenants/users', erin)
      .send({ tenant_name: 'team_a', username: 'erin', role: 'manager' })
      .expect(403);
  });

  it('adds user groups to a tenant', async () => {
    const [group] = await dataSource.query(`INSERT INTO groups (name) VALUES ('ops') RETURNING id`);
    const [erinRow] = await dataSource.query(`SELECT id FROM users WHERE username = 'erin'`);
    await dataSource.query(`INSERT INTO users_groups (group_id, user_id) VALUES ($1, $2)`, [
      group.id,
      erinRow.id,
    ]);
    const added = await call('put', 'tenants/user-groups')
      .send({ tenant_name: 'team_a', group_name: 'ops', role: 'manager' })
      .expect(200);
    expect(added.body).toMatchObject({ users: 1, groups: 1 });
    const detailed = await call('get', 'tenants/team_a?_get_data=true').expect(200);
    expect(detailed.body).toMatchObject({
      users: { erin: { 'tenant-role': 'user', roles: ['manager', 'user'] } },
      groups: { ops: 'manager' },
      user_roles: { groups: { ops: { role: 'manager', users: ['erin'] } } },
    });
    await call('patch', 'tenants/user-groups')
      .send({ tenant_name: 'team_a', group_name: 'ops', role: 'viewer' })
      .expect(200);
    await call('delete', 'tenants/user-groups')
      .send({ tenant_name: 'team_a', group_name: 'ops' })
      .expect(204);
    await call('put', 'tenants/user-groups')
      .send({ tenant_name: 'team_a', group_name: 'nogroup' })
      .expect(404);
  });

  it('removes users and deletes only empty tenants, never the default one', async () => {
    const busy = await call('delete', 'tenants/team_a').expect(400);
    expect(busy.body).toMatchObject({
      error_code: 'dependent_exists_error',
      message: 'Cannot delete tenant `team_a`: it still has resources (1 sites)',
    });
    await http()
      .delete('/api/v3.1/sites/erins-site')
      .set('Authorization', erin)
      .set('Tenant', 'team_a')
      .expect(204);
    await call('delete', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin' })
      .expect(204);
    await sites('get', 'team_a').expect(403);
    await call('delete', 'tenants/users')
      .send({ tenant_name: 'team_a', username: 'erin' })
      .expect(404);
    await call('delete', 'tenants/team_a').expect(204);
    await call('get', 'tenants/team_a').expect(404);
    await call('delete', 'tenants/default_tenant').expect(403);
  });
});
