import request from 'supertest';
import { DataSource } from 'typeorm';
import { User } from '@nestify/model';
import { basic } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** /users over real HTTP on real PostgreSQL: sys_admin manages users; users own their password. */
describe('users API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp({ env: { FAILED_LOGINS_BEFORE_LOCK: '2' } });
    dataSource = rest.dataSource;
  });

  afterAll(async () => {
    await rest?.close();
  });

  const as = (auth: string) => ({
    get: (path: string) => http().get(`/api/v3.1/${path}`).set('Authorization', auth),
    put: (path: string, body: object) =>
      http().put(`/api/v3.1/${path}`).set('Authorization', auth).send(body),
    post: (path: string, body: object = {}) =>
      http().post(`/api/v3.1/${path}`).set('Authorization', auth).send(body),
    delete: (path: string) => http().delete(`/api/v3.1/${path}`).set('Authorization', auth),
  });
  const root = as(admin);

  it('creates a user with a bcrypt-hashed password and returns Cloudify’s User', async () => {
    const created = await root
      .put('users', { username: 'dave', password: 'dave-pw1', role: 'default' })
      .expect(201);
    expect(created.body).toEqual({
      username: 'dave',
      role: 'default',
      group_system_roles: {},
      tenants: 0,
      tenant_roles: null,
      groups: 0,
      active: true,
      created_at: expect.stringMatching(TIMESTAMP),
      first_login_at: null,
      last_login_at: null,
      is_locked: false,
      show_getting_started: true,
    });
    const row = await dataSource.getRepository(User).findOneByOrFail({ username: 'dave' });
    expect(row.password).toMatch(/^\$2[aby]\$/);
    await root.put('users', { username: 'erin', password: 'erin-pw1' }).expect(201);
    const self = await as(basic('dave', 'dave-pw1')).get('user').expect(200);
    expect(self.body.username).toBe('dave');
  });

  it('refuses duplicates (case-insensitively), bad names, passwords and roles', async () => {
    const duplicate = await root.put('users', { username: 'DAVE', password: 'xxxxx' }).expect(409);
    expect(duplicate.body.error_code).toBe('conflict_error');
    const badName = await root.put('users', { username: '1dave', password: 'xxxxx' }).expect(400);
    expect(badName.body.message).toMatch(/must begin with a letter/);
    const short = await root.put('users', { username: 'fred', password: 'abc' }).expect(400);
    expect(short.body.message).toMatch(/too short/);
    const tenantRole = await root
      .put('users', { username: 'fred', password: 'fred-pw1', role: 'manager' })
      .expect(400);
    expect(tenantRole.body.message).toBe(
      'Role `manager` is a tenant_role and cannot be assigned as a system_role',
    );
    await root.put('users', { username: 'fred', password: 'fred-pw1', role: 'king' }).expect(400);
    await root.put('users', { username: 'fred' }).expect(400);
  });

  it('lists and gets users for sys_admin only', async () => {
    const list = await root.get('users?_sort=username').expect(200);
    expect(list.body.items.map((u: { username: string }) => u.username)).toEqual([
      'admin',
      'dave',
      'erin',
    ]);
    expect(list.body.items[0]).toMatchObject({ role: 'sys_admin', tenants: 1 });
    const search = await root.get('users?_search=RI&_include=username').expect(200);
    expect(search.body.items).toEqual([{ username: 'erin' }]);
    const detailed = await root.get('users/admin?_get_data=true').expect(200);
    expect(detailed.body.tenants).toEqual({
      default_tenant: { 'tenant-role': 'user', roles: ['user'] },
    });
    const missing = await root.get('users/nobody').expect(404);
    expect(missing.body.message).toBe('Requested `User` with ID `nobody` was not found');
    const dave = as(basic('dave', 'dave-pw1'));
    const denied = await dave.get('users').expect(403);
    expect(denied.body.error_code).toBe('forbidden_error');
    await dave.get('users/erin').expect(403);
    await dave.put('users', { username: 'gina', password: 'gina-pw1' }).expect(403);
    await dave.delete('users/erin').expect(403);
    await dave.post('users/active/erin', { action: 'deactivate' }).expect(403);
    await dave.post('users/unlock/erin').expect(403);
  });

  it('lets users change their own password only; sys_admin changes anything', async () => {
    const dave = as(basic('dave', 'dave-pw1'));
    await dave.post('users/erin', { password: 'hacked' }).expect(403);
    await dave.post('users/dave', { role: 'sys_admin' }).expect(403);
    await dave.post('users/dave', { password: 'abc' }).expect(400);
    await dave.post('users/dave', { password: 'dave-pw2' }).expect(200);
    await dave.get('user').expect(401);
    const renewed = as(basic('dave', 'dave-pw2'));
    await renewed.get('user').expect(200);
    await root.post('users/dave', { password: 'x-pw-1', role: 'default' }).expect(400);
    await root.post('users/dave', {}).expect(400);
    const promoted = await root.post('users/dave', { role: 'sys_admin' }).expect(200);
    expect(promoted.body.role).toBe('sys_admin');
    await renewed.get('users').expect(200);
    await root.post('users/dave', { role: 'default' }).expect(200);
    await renewed.get('users').expect(403);
    const flag = await root.post('users/dave', { show_getting_started: false }).expect(200);
    expect(flag.body.show_getting_started).toBe(false);
    await root.post('users/erin', { password: 'erin-pw2' }).expect(200);
    await as(basic('erin', 'erin-pw2')).get('user').expect(200);
  });

  it('locks a user after failed logins until sys_admin unlocks it', async () => {
    const wrong = as(basic('erin', 'wrong-pw'));
    await wrong.get('user').expect(401);
    await wrong.get('user').expect(401);
    const erin = as(basic('erin', 'erin-pw2'));
    await erin.get('user').expect(401);
    expect((await root.get('users/erin').expect(200)).body.is_locked).toBe(true);
    const unlocked = await root.post('users/unlock/erin').expect(200);
    expect(unlocked.body.is_locked).toBe(false);
    await erin.get('user').expect(200);
    await root.post('users/unlock/nobody').expect(404);
  });

  it('deactivates and activates users, never the bootstrap admin', async () => {
    const erin = as(basic('erin', 'erin-pw2'));
    const off = await root.post('users/active/erin', { action: 'deactivate' }).expect(200);
    expect(off.body.active).toBe(false);
    await erin.get('user').expect(401);
    await root.post('users/active/erin', { action: 'activate' }).expect(200);
    await erin.get('user').expect(200);
    await root.post('users/active/erin', { action: 'pause' }).expect(400);
    await root.post('users/active/admin', { action: 'deactivate' }).expect(403);
    await root.post('users/admin', { role: 'default' }).expect(403);
    await root.delete('users/admin').expect(403);
  });

  it('deletes a user only once it owns nothing', async () => {
    await root
      .put('tenants/users', { tenant_name: 'default_tenant', username: 'erin' })
      .expect(200);
    await http()
      .put('/api/v3.1/sites/erins-site')
      .set('Authorization', basic('erin', 'erin-pw2'))
      .set('Tenant', 'default_tenant')
      .send({})
      .expect(200);
    const owns = await root.delete('users/erin').expect(400);
    expect(owns.body).toMatchObject({
      error_code: 'dependent_exists_error',
      message: 'User `erin` cannot be deleted: the user has 1 sites in tenant `default_tenant`',
    });
    await http()
      .delete('/api/v3.1/sites/erins-site')
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(204);
    await root.delete('users/erin').expect(204);
    await root.get('users/erin').expect(404);
    await root.delete('users/erin').expect(404);
  });
});
