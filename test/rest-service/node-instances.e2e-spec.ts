import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Visibility } from '@nestify/common';
import {
  Deployment,
  Execution,
  ExecutionStatus,
  Node,
  NodeInstance,
  Tenant,
  User,
} from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp } from '../support/rest-app';

const INSTANCE_ID = /^[a-z]+_[a-z0-9]{6}$/;

/**
 * /node-instances over real HTTP on real PostgreSQL: lists, GET, the optimistic-lock PATCH (also
 * under concurrency) and the workflow engine's bulk POST, each kept inside its tenant.
 */
describe('node instances API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let tenantA: Tenant;
  let alice: User;
  let deployment: Deployment;
  let vm: Node;
  const aliceAuth = basic('alice', 'alice-pw'); // user in tenant_a
  const bobAuth = basic('bob', 'bob-pw'); // user in tenant_b
  const victorAuth = basic('victor', 'victor-pw'); // viewer in tenant_a
  const http = () => request(rest.baseUrl);
  const get = (path: string, auth = aliceAuth, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const patch = (id: string, body: object, query = '', auth = aliceAuth, tenant = 'tenant_a') =>
    http()
      .patch(`/api/v3.1/node-instances/${id}${query}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send(body);
  const post = (body: object, auth = aliceAuth, tenant = 'tenant_a') =>
    http()
      .post('/api/v3.1/node-instances')
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send(body);
  const stored = (id: string) =>
    dataSource.getRepository(NodeInstance).findOneByOrFail({ id, tenantId: tenantA.id });

  /** A started execution of `workflowId` by alice in tenant_a; returns its token. */
  async function executionToken(workflowId: string): Promise<string> {
    const token = randomBytes(16).toString('hex');
    const executions = dataSource.getRepository(Execution);
    await executions.save(
      executions.create({
        id: randomBytes(8).toString('hex'),
        workflowId,
        status: ExecutionStatus.Started,
        parameters: {},
        deploymentFk: deployment.storageId,
        token: createHash('sha256').update(token).digest('hex'),
        tenantId: tenantA.id,
        creatorId: alice.id,
        visibility: Visibility.Tenant,
      }),
    );
    return token;
  }

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    tenantA = await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    alice = await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    await createUser(dataSource, 'victor', 'victor-pw', { tenant_a: 'viewer' });
    const f = new Fixtures(dataSource.manager);
    deployment = await f.deployment({ tenantId: tenantA.id }, 'web-dep');
    vm = await f.node(deployment, 'vm');
    await f.node(deployment, 'db');
  });

  afterAll(async () => {
    await rest?.close();
  });

  describe('POST /node-instances (bulk insert by the workflow engine)', () => {
    it('inserts 1,000 instances in one call with Cloudify’s defaults', async () => {
      const instances = Array.from({ length: 1000 }, (_, i) => ({
        id: `vm_${String(i).padStart(6, '0')}`,
        node_id: 'vm',
      }));
      await post({ deployment_id: 'web-dep', node_instances: instances }).expect(201);
      const rows = await dataSource
        .getRepository(NodeInstance)
        .find({ where: { nodeFk: vm.storageId }, order: { index: 'ASC' } });
      expect(rows).toHaveLength(1000);
      expect(rows.map((row) => row.index)).toEqual(instances.map((_, i) => i + 1));
      expect(rows[0]).toMatchObject({
        id: 'vm_000000',
        state: 'uninitialized',
        version: 1,
        runtimeProperties: {},
        systemProperties: null,
        relationships: [],
        scalingGroups: [],
        hostId: null,
        hasConfigurationDrift: false,
        isStatusCheckOk: false,
        tenantId: tenantA.id,
        creatorId: alice.id,
        visibility: 'tenant',
      });
    });

    it('keeps what the request gives and numbers each node on from its highest index', async () => {
      await post({
        deployment_id: 'web-dep',
        node_instances: [
          {
            id: 'db_aaaaaa',
            node_id: 'db',
            host_id: 'vm_000001',
            state: 'started',
            runtime_properties: { port: 5432 },
            relationships: [{ target_id: 'vm_000001', target_name: 'vm', type: 'contained_in' }],
            scaling_groups: [{ name: 'pair', id: 'pair_xyz123' }],
          },
          { id: 'vm_new001', node_id: 'vm' },
        ],
      }).expect(201);
      expect(await stored('db_aaaaaa')).toMatchObject({
        index: 1,
        state: 'started',
        hostId: 'vm_000001',
        runtimeProperties: { port: 5432 },
        scalingGroups: [{ name: 'pair', id: 'pair_xyz123' }],
      });
      expect((await stored('vm_new001')).index).toBe(1001);
    });

    it('renames ids that are taken to <node>_<new6>, and references to them', async () => {
      await post({
        deployment_id: 'web-dep',
        node_instances: [
          { id: 'vm_000000', node_id: 'vm' },
          {
            id: 'db_bbbbbb',
            node_id: 'db',
            host_id: 'vm_000000',
            relationships: [{ target_id: 'vm_000000', target_name: 'vm', type: 'contained_in' }],
          },
        ],
      }).expect(201);
      const renamed = await dataSource
        .getRepository(NodeInstance)
        .find({ where: { nodeFk: vm.storageId, index: 1002 } });
      expect(renamed).toHaveLength(1);
      expect(renamed[0].id).toMatch(INSTANCE_ID);
      expect(renamed[0].id).not.toBe('vm_000000');
      const dbInstance = await stored('db_bbbbbb');
      expect(dbInstance.hostId).toBe(renamed[0].id);
      expect(dbInstance.relationships).toEqual([
        { target_id: renamed[0].id, target_name: 'vm', type: 'contained_in' },
      ]);
    });

    it('answers 204 to an empty list, 404 to an unknown deployment or node, 400 to a bad body', async () => {
      await post({ deployment_id: 'web-dep', node_instances: [] }).expect(204);
      const noDeployment = await post({
        deployment_id: 'nope',
        node_instances: [{ id: 'vm_x', node_id: 'vm' }],
      }).expect(404);
      expect(noDeployment.body.message).toBe('Requested `Deployment` with ID `nope` was not found');
      const noNode = await post({
        deployment_id: 'web-dep',
        node_instances: [{ id: 'lb_x', node_id: 'lb' }],
      }).expect(404);
      expect(noNode.body.error_code).toBe('not_found_error');
      const bad = await post({ deployment_id: 'web-dep', node_instances: [{ id: 'x' }] }).expect(
        400,
      );
      expect(bad.body.error_code).toBe('bad_parameters_error');
    });
  });

  describe('GET /node-instances', () => {
    it('lists with filters, search, sorting, paging totals and include', async () => {
      const all = await get('node-instances?_size=0').expect(200);
      expect(all.body).toEqual({
        items: [],
        metadata: { pagination: { total: 1004, size: 0, offset: 0 }, filtered: null },
      });
      // A page past the end still reports the total (it then comes from a separate count).
      const beyond = await get('node-instances?node_id=db&_offset=10').expect(200);
      expect(beyond.body.items).toEqual([]);
      expect(beyond.body.metadata.pagination).toEqual({ total: 2, size: 1000, offset: 10 });
      const lastOne = await get('node-instances?node_id=db&_sort=id&_offset=1').expect(200);
      expect(lastOne.body.items.map((i: { id: string }) => i.id)).toEqual(['db_bbbbbb']);
      expect(lastOne.body.metadata.pagination.total).toBe(2);
      const dbs = await get('node-instances?node_id=db&_sort=-id').expect(200);
      expect(dbs.body.metadata.pagination).toEqual({ total: 2, size: 1000, offset: 0 });
      expect(dbs.body.items.map((i: { id: string }) => i.id)).toEqual(['db_bbbbbb', 'db_aaaaaa']);
      expect(dbs.body.items[1]).toEqual({
        id: 'db_aaaaaa',
        node_id: 'db',
        deployment_id: 'web-dep',
        host_id: 'vm_000001',
        index: 1,
        state: 'started',
        version: 1,
        runtime_properties: { port: 5432 },
        system_properties: null,
        relationships: [{ target_id: 'vm_000001', target_name: 'vm', type: 'contained_in' }],
        scaling_groups: [{ name: 'pair', id: 'pair_xyz123' }],
        has_configuration_drift: false,
        is_status_check_ok: false,
        visibility: 'tenant',
        tenant_name: 'tenant_a',
        created_by: 'alice',
      });
      const page = await get(
        'node-instances?deployment_id=web-dep&node_id=vm&_sort=-index&_size=3&_offset=2&_include=id,index',
      ).expect(200);
      expect(page.body.metadata.pagination).toEqual({ total: 1002, size: 3, offset: 2 });
      expect(page.body.items).toEqual([
        { id: 'vm_000999', index: 1000 },
        { id: 'vm_000998', index: 999 },
        { id: 'vm_000997', index: 998 },
      ]);
      const search = await get('node-instances?_search=M_00099&_include=id&_sort=id').expect(200);
      expect(search.body.items.map((i: { id: string }) => i.id)).toEqual([
        'vm_000990',
        'vm_000991',
        'vm_000992',
        'vm_000993',
        'vm_000994',
        'vm_000995',
        'vm_000996',
        'vm_000997',
        'vm_000998',
        'vm_000999',
      ]);
      const started = await get('node-instances?state=started&state=deleted').expect(200);
      expect(started.body.items.map((i: { id: string }) => i.id)).toEqual(['db_aaaaaa']);
      const all1004 = await get('node-instances?_get_all_results=true&_size=5').expect(200);
      expect(all1004.body.items).toHaveLength(1004);
      expect(all1004.body.metadata.pagination).toEqual({ total: 1004, size: 5, offset: 0 });
      const badFilter = await get('node-instances?colour=red').expect(400);
      expect(badFilter.body.message).toBe("Filter keys '['colour']' do not exist");
      // A value that does not fit its column is refused by PostgreSQL: the client's 400.
      const notANumber = await get('node-instances?index=abc&version=1').expect(400);
      expect(notANumber.body.error_code).toBe('bad_parameters_error');
      const badInclude = await get('node-instances?_include=colour').expect(400);
      expect(badInclude.body.error_code).toBe('no_such_include_field_error');
    });
    it('sends non-ASCII runtime properties intact, with an exact content length', async () => {
      const before = (await get('node-instances/db_bbbbbb').expect(200)).body;
      const properties = { note: 'café ☕ — naïve "quoted" \\ 🚀', ip: '10.0.0.9' };
      await patch('db_bbbbbb', { version: before.version, runtime_properties: properties }).expect(
        200,
      );
      const listed = await get('node-instances?node_id=db&_include=id,runtime_properties').expect(
        200,
      );
      expect(Number(listed.headers['content-length'])).toBe(Buffer.byteLength(listed.text));
      expect(listed.headers['content-type']).toMatch(/^application\/json/);
      expect(listed.body.items).toContainEqual({ id: 'db_bbbbbb', runtime_properties: properties });
      await patch('db_bbbbbb', {
        version: before.version + 1,
        runtime_properties: before.runtime_properties,
      }).expect(200);
    });
  });

  describe('GET /node-instances/{id}', () => {
    it('returns one instance, with _include, and 404 for an unknown id', async () => {
      const one = await get('node-instances/vm_000005?_evaluate_functions=true').expect(200);
      expect(one.body).toMatchObject({ id: 'vm_000005', node_id: 'vm', index: 6, version: 1 });
      const some = await get('node-instances/vm_000005?_include=id,state').expect(200);
      expect(some.body).toEqual({ id: 'vm_000005', state: 'uninitialized' });
      const missing = await get('node-instances/vm_nothere').expect(404);
      expect(missing.body).toEqual({
        message: 'Requested `NodeInstance` with ID `vm_nothere` was not found',
        error_code: 'not_found_error',
        server_traceback: null,
      });
    });
  });

  describe('PATCH /node-instances/{id}', () => {
    it('replaces fields, bumps the version once per change and keeps it for a no-op', async () => {
      const first = await patch('vm_000010', {
        version: 1,
        state: 'creating',
        runtime_properties: { ip: '10.0.0.1', port: 22 },
      }).expect(200);
      expect(first.body).toMatchObject({
        id: 'vm_000010',
        version: 2,
        state: 'creating',
        runtime_properties: { ip: '10.0.0.1', port: 22 },
        tenant_name: 'tenant_a',
      });
      const replaced = await patch('vm_000010', {
        version: 2,
        runtime_properties: { ip: '10.0.0.2' },
      }).expect(200);
      expect(replaced.body.runtime_properties).toEqual({ ip: '10.0.0.2' });
      expect(replaced.body.version).toBe(3);
      const same = await patch('vm_000010', {
        version: 3,
        state: 'creating',
        runtime_properties: { ip: '10.0.0.2' },
      }).expect(200);
      expect(same.body.version).toBe(3);
      expect(await stored('vm_000010')).toMatchObject({
        version: 3,
        state: 'creating',
        runtimeProperties: { ip: '10.0.0.2' },
      });
    });

    it('refuses a stale version with Cloudify’s 409, unless forced', async () => {
      const stale = await patch('vm_000010', { version: 1, state: 'created' }).expect(409);
      expect(stale.body).toEqual({
        message: 'Node instance update conflict [current version=3, update version=1]',
        error_code: 'conflict_error',
        server_traceback: null,
      });
      expect((await stored('vm_000010')).state).toBe('creating');
      const forced = await patch(
        'vm_000010',
        { version: 1, state: 'created' },
        '?force=true',
      ).expect(200);
      expect(forced.body).toMatchObject({ state: 'created', version: 4 });
      // A newer version than stored is not a conflict.
      const ahead = await patch('vm_000010', { version: 9, state: 'configured' }).expect(200);
      expect(ahead.body).toMatchObject({ state: 'configured', version: 5 });
    });

    it('lets exactly one of two concurrent PATCHes from the same version win', async () => {
      const [a, b] = await Promise.all([
        patch('vm_000020', { version: 1, runtime_properties: { winner: 'a' } }),
        patch('vm_000020', { version: 1, runtime_properties: { winner: 'b' } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      const winner = a.status === 200 ? a : b;
      expect(loser.body.message).toBe(
        'Node instance update conflict [current version=2, update version=1]',
      );
      const row = await stored('vm_000020');
      expect(row.version).toBe(2);
      expect(row.runtimeProperties).toEqual(winner.body.runtime_properties);
    });

    it('recomputes drift and status flags from system_properties', async () => {
      const response = await patch('vm_000030', {
        version: 1,
        system_properties: { status: { ok: true }, configuration_drift: { ok: false } },
      }).expect(200);
      expect(response.body).toMatchObject({
        version: 2,
        is_status_check_ok: true,
        has_configuration_drift: true,
      });
    });

    it('lets only a deployment-update workflow change relationships', async () => {
      const rels = [{ target_id: 'vm_000001', target_name: 'vm', type: 'connected_to' }];
      const denied = await patch('db_aaaaaa', { version: 1, relationships: rels }).expect(403);
      expect(denied.body.error_code).toBe('only_deployment_update');
      const install = await executionToken('install');
      await http()
        .patch('/api/v3.1/node-instances/db_aaaaaa')
        .set('Execution-Token', install)
        .send({ version: 1, relationships: rels })
        .expect(403);
      expect((await stored('db_aaaaaa')).version).toBe(1);
      // Sending the stored relationships back is no change, so it is allowed.
      await patch('db_aaaaaa', {
        version: 1,
        relationships: [{ target_id: 'vm_000001', target_name: 'vm', type: 'contained_in' }],
      }).expect(200);
      const update = await executionToken('update');
      const allowed = await http()
        .patch('/api/v3.1/node-instances/db_aaaaaa')
        .set('Execution-Token', update)
        .send({ version: 1, relationships: rels })
        .expect(200);
      expect(allowed.body).toMatchObject({ relationships: rels, version: 2 });
    });

    it('requires a non-negative integer version', async () => {
      for (const body of [{ state: 'started' }, { version: -1 }, { version: 'one' }]) {
        const response = await patch('vm_000040', body).expect(400);
        expect(response.body.error_code).toBe('bad_parameters_error');
      }
      await patch('vm_000040', { version: 1 }, '?force=maybe').expect(400);
      await patch('vm_nothere', { version: 1 }).expect(404);
    });

    it('lets a viewer read but not update', async () => {
      await get('node-instances/vm_000040', victorAuth).expect(200);
      const denied = await patch('vm_000040', { version: 1, state: 'x' }, '', victorAuth).expect(
        403,
      );
      expect(denied.body.error_code).toBe('forbidden_error');
    });
  });

  describe('tenant isolation', () => {
    it('hides instances from another tenant on every route', async () => {
      await get('node-instances/vm_000050', bobAuth, 'tenant_b').expect(404);
      const list = await get('node-instances', bobAuth, 'tenant_b').expect(200);
      expect(list.body.metadata.pagination.total).toBe(0);
      await patch('vm_000050', { version: 1, state: 'started' }, '', bobAuth, 'tenant_b').expect(
        404,
      );
      await patch(
        'vm_000050',
        { version: 1, state: 'started' },
        '?force=true',
        bobAuth,
        'tenant_b',
      ).expect(404);
      await post(
        { deployment_id: 'web-dep', node_instances: [{ id: 'vm_bob', node_id: 'vm' }] },
        bobAuth,
        'tenant_b',
      ).expect(404);
      expect((await stored('vm_000050')).state).toBe('uninitialized');
      // bob has no role in tenant_a
      await get('node-instances', bobAuth, 'tenant_a').expect(403);
    });

    it('lets another tenant reuse an instance id', async () => {
      const f = new Fixtures(dataSource.manager);
      const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
      const other = await f.deployment({ tenantId: tenantB.id }, 'web-dep');
      await f.node(other, 'vm');
      await post(
        { deployment_id: 'web-dep', node_instances: [{ id: 'vm_000000', node_id: 'vm' }] },
        bobAuth,
        'tenant_b',
      ).expect(201);
      const mine = await get('node-instances/vm_000000', bobAuth, 'tenant_b').expect(200);
      expect(mine.body).toMatchObject({ tenant_name: 'tenant_b', index: 1, created_by: 'bob' });
      const theirs = await get('node-instances/vm_000000').expect(200);
      expect(theirs.body).toMatchObject({ tenant_name: 'tenant_a', created_by: 'alice' });
    });
  });
});
