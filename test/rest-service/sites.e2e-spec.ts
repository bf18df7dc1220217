import request from 'supertest';
import { DataSource } from 'typeorm';
import { Site } from '@nestify/model';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/**
 * /sites over real HTTP on real PostgreSQL: the first tenant-scoped resource, so also the proof
 * of the shared list parameters and of tenant isolation and visibility in the repository layer.
 */
describe('sites API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const victor = basic('victor', 'victor-pw'); // viewer in tenant_a
  const http = () => request(rest.baseUrl);

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    await createUser(dataSource, 'victor', 'victor-pw', { tenant_a: 'viewer' });
  });

  afterAll(async () => {
    await rest?.close();
  });

  const put = (name: string, body: object, auth = alice, tenant = 'tenant_a') =>
    http()
      .put(`/api/v3.1/sites/${name}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send(body);
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);

  it('creates a site and returns it in Cloudify’s shape, storing it in the caller’s tenant', async () => {
    const response = await put('tel-aviv', { location: '32.071072, 34.787274' }).expect(200);
    expect(response.body).toEqual({
      name: 'tel-aviv',
      location: '32.071072, 34.787274',
      latitude: 32.071072,
      longitude: 34.787274,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      visibility: 'tenant',
      tenant_name: 'tenant_a',
      created_by: 'alice',
    });
    const row = await dataSource
      .getRepository(Site)
      .findOneOrFail({ where: { name: 'tel-aviv' }, relations: { tenant: true } });
    expect(row.tenant?.name).toBe('tenant_a');
  });

  it('refuses a duplicate name, a bad name and a bad location', async () => {
    const duplicate = await put('tel-aviv', {}).expect(409);
    expect(duplicate.body).toMatchObject({ error_code: 'conflict_error', server_traceback: null });
    const badName = await put('1st-site', {}).expect(400);
    expect(badName.body.error_code).toBe('bad_parameters_error');
    expect(badName.body.message).toMatch(/must begin with a letter/);
    const badLocation = await put('haifa', { location: '200,1' }).expect(400);
    expect(badLocation.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: expect.stringContaining('Invalid location'),
    });
    const badVisibility = await put('haifa', { visibility: 'everyone' }).expect(400);
    expect(badVisibility.body.error_code).toBe('bad_parameters_error');
  });

  it('lists with pagination totals, sorting, include, search and filters', async () => {
    for (const name of ['haifa', 'eilat', 'jerusalem']) await put(name, {}).expect(200);
    const page = await get('sites?_size=2&_offset=1&_sort=-name').expect(200);
    expect(page.body.metadata.pagination).toEqual({ total: 4, size: 2, offset: 1 });
    expect(page.body.items.map((s: { name: string }) => s.name)).toEqual(['jerusalem', 'haifa']);
    const included = await get('sites?_include=name,visibility&_sort=name').expect(200);
    expect(included.body.items[0]).toEqual({ name: 'eilat', visibility: 'tenant' });
    const search = await get('sites?_search=AIF').expect(200);
    expect(search.body.items.map((s: { name: string }) => s.name)).toEqual(['haifa']);
    const filtered = await get('sites?name=eilat&name=haifa&_sort=name').expect(200);
    expect(filtered.body.items.map((s: { name: string }) => s.name)).toEqual(['eilat', 'haifa']);
    const none = await get('sites?_size=0').expect(200);
    expect(none.body).toEqual({
      items: [],
      metadata: { pagination: { total: 4, size: 0, offset: 0 }, filtered: null },
    });
    const badFilter = await get('sites?colour=red').expect(400);
    expect(badFilter.body.message).toBe("Filter keys '['colour']' do not exist");
    const badInclude = await get('sites?_include=colour').expect(400);
    expect(badInclude.body.error_code).toBe('no_such_include_field_error');
    const badSort = await get('sites?_sort=colour').expect(400);
    expect(badSort.body.message).toBe("Sort keys '['colour']' do not exist");
  });

  it('updates location, visibility and name; deletes', async () => {
    const updated = await http()
      .post('/api/v3.1/sites/eilat')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .send({ location: '29.55, 34.95', new_name: 'eilat-port' })
      .expect(200);
    expect(updated.body).toMatchObject({ name: 'eilat-port', latitude: 29.55, longitude: 34.95 });
    await get('sites/eilat').expect(404);
    await http()
      .delete('/api/v3.1/sites/eilat-port')
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .expect(204);
    const gone = await get('sites/eilat-port').expect(404);
    expect(gone.body).toEqual({
      message: 'Requested `Site` with ID `eilat-port` was not found',
      error_code: 'not_found_error',
      server_traceback: null,
    });
  });

  it('keeps tenants apart: another tenant can neither see nor touch a site', async () => {
    await get('sites/haifa', bob, 'tenant_b').expect(404);
    const list = await get('sites', bob, 'tenant_b').expect(200);
    expect(list.body.metadata.pagination.total).toBe(0);
    await http()
      .delete('/api/v3.1/sites/haifa')
      .set('Authorization', bob)
      .set('Tenant', 'tenant_b')
      .expect(404);
    await http()
      .post('/api/v3.1/sites/haifa')
      .set('Authorization', bob)
      .set('Tenant', 'tenant_b')
      .send({ location: '0,0' })
      .expect(404);
    // The same name is free in another tenant.
    await put('haifa', {}, bob, 'tenant_b').expect(200);
    // bob cannot act in tenant_a, where he has no role.
    await get('sites', bob, 'tenant_a').expect(403);
  });

  it('shows global sites to every tenant and private ones to their creator and admins only', async () => {
    await put('world', { visibility: 'global' }).expect(200);
    await put('secret', { visibility: 'private' }).expect(200);
    const fromB = await get('sites/world', bob, 'tenant_b').expect(200);
    expect(fromB.body).toMatchObject({ tenant_name: 'tenant_a', visibility: 'global' });
    await get('sites/secret', victor).expect(404);
    await get('sites/secret', admin).expect(200);
    await get('sites/secret', alice).expect(200);
    // A global name is taken for every tenant.
    const clash = await put('world', {}, bob, 'tenant_b').expect(409);
    expect(clash.body.error_code).toBe('conflict_error');
  });

  it('lets a viewer read but not write, and needs the Tenant header', async () => {
    await get('sites', victor).expect(200);
    const denied = await put('nazareth', {}, victor).expect(403);
    expect(denied.body).toMatchObject({
      error_code: 'forbidden_error',
      message:
        'User `victor` is not permitted to perform the action site_create in the tenant `tenant_a`',
    });
    const noTenant = await http().get('/api/v3.1/sites').set('Authorization', alice).expect(403);
    expect(noTenant.body.message).toBe('Authorization failed: tenant not provided');
    await http().get('/api/v3.1/sites').set('Tenant', 'tenant_a').expect(401);
  });
});
