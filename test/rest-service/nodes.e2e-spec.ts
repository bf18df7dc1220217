import request from 'supertest';
import { DataSource } from 'typeorm';
import { Deployment, Node, Tenant, User } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp } from '../support/rest-app';

/** A node of a plan as the dsl parser emits it (with keys the nodes table does not keep). */
function planNode(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: id,
    type: 'cloudify.nodes.Compute',
    type_hierarchy: ['cloudify.nodes.Root', 'cloudify.nodes.Compute'],
    properties: { ip: '10.0.0.1' },
    operations: {
      'cloudify.interfaces.lifecycle.create': { operation: 'mock.create', plugin: 'mock' },
    },
    plugins: [{ name: 'mock', package_name: 'cloudify-mock-plugin' }],
    plugins_to_install: [],
    instances: { deploy: 1 },
    interfaces: {},
    ...extra,
  };
}

/** GET and POST /nodes over real HTTP on real PostgreSQL, each kept inside its tenant. */
describe('nodes API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let tenantA: Tenant;
  let alice: User;
  let deployment: Deployment;
  const aliceAuth = basic('alice', 'alice-pw'); // user in tenant_a
  const bobAuth = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(rest.baseUrl);
  const get = (path: string, auth = aliceAuth, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const post = (body: object, auth = aliceAuth, tenant = 'tenant_a') =>
    http().post('/api/v3.1/nodes').set('Authorization', auth).set('Tenant', tenant).send(body);
  const ids = (response: request.Response) =>
    response.body.items.map((node: { id: string }) => node.id);

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    tenantA = await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    alice = await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    const f = new Fixtures(dataSource.manager);
    deployment = await f.deployment({ tenantId: tenantA.id }, 'web-dep');
    await dataSource.getRepository(Deployment).update(
      { storageId: deployment.storageId },
      {
        displayName: 'Web deployment',
        scalingGroups: {
          pair: { members: ['vm'], properties: { planned_instances: 3, current_instances: 3 } },
          other: { members: ['db'], properties: { planned_instances: 5 } },
        },
      },
    );
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('bulk-inserts a plan’s nodes with Cloudify’s defaults and trimmed relationships', async () => {
    await post({
      deployment_id: 'web-dep',
      nodes: [
        planNode('vm', {
          capabilities: {
            scalable: {
              properties: {
                current_instances: 2,
                default_instances: 2,
                min_instances: 0,
                max_instances: 5,
                planned_instances: 2,
              },
            },
          },
        }),
        planNode('app', {
          type: 'cloudify.nodes.ApplicationModule',
          type_hierarchy: undefined,
          host_id: 'vm',
          relationships: [
            {
              target_id: 'vm',
              type: 'cloudify.relationships.contained_in',
              type_hierarchy: ['cloudify.relationships.contained_in'],
              properties: { connection_type: 'all_to_all' },
              source_operations: {},
              target_operations: {},
              source_interfaces: { ignored: true },
              target_interfaces: {},
            },
          ],
        }),
        { id: 'lb', type: 'cloudify.nodes.LoadBalancer' },
      ],
    }).expect(201);
    const rows = await dataSource
      .getRepository(Node)
      .find({ where: { deploymentFk: deployment.storageId }, order: { storageId: 'ASC' } });
    expect(rows.map((row) => row.id)).toEqual(['vm', 'app', 'lb']);
    expect(rows[0]).toMatchObject({
      numberOfInstances: 2,
      plannedNumberOfInstances: 2,
      deployNumberOfInstances: 2,
      minNumberOfInstances: 0,
      maxNumberOfInstances: 5,
      tenantId: tenantA.id,
      creatorId: alice.id,
      visibility: 'tenant',
    });
    expect(rows[1]).toMatchObject({
      typeHierarchy: ['cloudify.nodes.ApplicationModule'],
      hostId: 'vm',
      relationships: [
        {
          target_id: 'vm',
          type: 'cloudify.relationships.contained_in',
          type_hierarchy: ['cloudify.relationships.contained_in'],
          properties: { connection_type: 'all_to_all' },
          source_operations: {},
          target_operations: {},
        },
      ],
    });
    expect(rows[2]).toMatchObject({
      typeHierarchy: ['cloudify.nodes.LoadBalancer'],
      properties: {},
      operations: {},
      plugins: [],
      pluginsToInstall: null,
      hostId: null,
      numberOfInstances: 1,
      plannedNumberOfInstances: 1,
      deployNumberOfInstances: 1,
      minNumberOfInstances: 1,
      maxNumberOfInstances: 1,
    });
  });

  it('answers 204 to an empty list, 404 to an unknown deployment, 409 to a duplicate node', async () => {
    await post({ deployment_id: 'web-dep', nodes: [] }).expect(204);
    const missing = await post({ deployment_id: 'nope', nodes: [planNode('x')] }).expect(404);
    expect(missing.body.message).toBe('Requested `Deployment` with ID `nope` was not found');
    const duplicate = await post({ deployment_id: 'web-dep', nodes: [planNode('vm')] }).expect(409);
    expect(duplicate.body.error_code).toBe('conflict_error');
    const bad = await post({ deployment_id: 'web-dep', nodes: [{ id: 'no-type' }] }).expect(400);
    expect(bad.body.error_code).toBe('bad_parameters_error');
    expect(await dataSource.getRepository(Node).count()).toBe(3);
  });

  it('returns every field of a node, with names and counts from one query', async () => {
    const f = new Fixtures(dataSource.manager);
    const vm = await dataSource
      .getRepository(Node)
      .findOneByOrFail({ id: 'vm', deploymentFk: deployment.storageId });
    await f.nodeInstance(vm, 'vm_aaaaaa');
    await f.nodeInstance(vm, 'vm_bbbbbb');
    const response = await get('nodes?deployment_id=web-dep&id=vm').expect(200);
    expect(response.body).toEqual({
      items: [
        {
          id: 'vm',
          deployment_id: 'web-dep',
          blueprint_id: expect.stringMatching(/^bp-/),
          deployment_display_name: 'Web deployment',
          type: 'cloudify.nodes.Compute',
          type_hierarchy: ['cloudify.nodes.Root', 'cloudify.nodes.Compute'],
          properties: { ip: '10.0.0.1' },
          operations: {
            'cloudify.interfaces.lifecycle.create': { operation: 'mock.create', plugin: 'mock' },
          },
          relationships: [],
          plugins: [{ name: 'mock', package_name: 'cloudify-mock-plugin' }],
          plugins_to_install: [],
          host_id: null,
          number_of_instances: 2,
          planned_number_of_instances: 2,
          deploy_number_of_instances: 2,
          min_number_of_instances: 0,
          max_number_of_instances: 5,
          actual_number_of_instances: 2,
          // planned 2 × the `pair` scaling group's 3
          actual_planned_number_of_instances: 6,
          drifted_instances: 0,
          unavailable_instances: 0,
          visibility: 'tenant',
          tenant_name: 'tenant_a',
          created_by: 'alice',
        },
      ],
      metadata: { pagination: { total: 1, size: 1000, offset: 0 }, filtered: null },
    });
  });

  it('lists with filters, search, sorting, paging totals and include', async () => {
    const f = new Fixtures(dataSource.manager);
    const other = await f.deployment({ tenantId: tenantA.id }, 'other-dep');
    await f.node(other, 'vm');
    const sorted = await get('nodes?_sort=deployment_id&_sort=-id&_include=id,deployment_id');
    expect(sorted.body.items).toEqual([
      { id: 'vm', deployment_id: 'other-dep' },
      { id: 'vm', deployment_id: 'web-dep' },
      { id: 'lb', deployment_id: 'web-dep' },
      { id: 'app', deployment_id: 'web-dep' },
    ]);
    const page = await get('nodes?deployment_id=web-dep&_size=1&_offset=1&_sort=id').expect(200);
    expect(page.body.metadata.pagination).toEqual({ total: 3, size: 1, offset: 1 });
    expect(ids(page)).toEqual(['lb']);
    const byId = await get('nodes?id=vm&_sort=deployment_id').expect(200);
    expect(byId.body.items.map((n: { deployment_id: string }) => n.deployment_id)).toEqual([
      'other-dep',
      'web-dep',
    ]);
    const hosted = await get('nodes?host_id=vm').expect(200);
    expect(ids(hosted)).toEqual(['app']);
    const counted = await get('nodes?actual_number_of_instances=2').expect(200);
    expect(ids(counted)).toEqual(['vm']);
    const search = await get('nodes?_search=P&deployment_id=web-dep').expect(200);
    expect(ids(search)).toEqual(['app']);
    // Intrinsic functions are not evaluated yet, but the parameters are accepted.
    await get('nodes?_evaluate_functions=true&_instance_context=vm_aaaaaa').expect(200);
    const none = await get('nodes?_size=0').expect(200);
    expect(none.body.metadata.pagination).toEqual({ total: 4, size: 0, offset: 0 });
    const badFilter = await get('nodes?colour=red').expect(400);
    expect(badFilter.body.message).toBe("Filter keys '['colour']' do not exist");
    const badSort = await get('nodes?_sort=colour').expect(400);
    expect(badSort.body.message).toBe("Sort keys '['colour']' do not exist");
    const badInclude = await get('nodes?_include=colour').expect(400);
    expect(badInclude.body.error_code).toBe('no_such_include_field_error');
  });

  it('keeps tenants apart', async () => {
    const list = await get('nodes', bobAuth, 'tenant_b').expect(200);
    expect(list.body.metadata.pagination.total).toBe(0);
    const filtered = await get('nodes?deployment_id=web-dep', bobAuth, 'tenant_b').expect(200);
    expect(filtered.body.items).toEqual([]);
    await post({ deployment_id: 'web-dep', nodes: [planNode('bobs')] }, bobAuth, 'tenant_b').expect(
      404,
    );
    await get('nodes', bobAuth, 'tenant_a').expect(403);
    expect(
      await dataSource.getRepository(Node).count({ where: { deploymentFk: deployment.storageId } }),
    ).toBe(3);
  });
});
