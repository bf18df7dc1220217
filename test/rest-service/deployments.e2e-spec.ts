import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Blueprint, Deployment, Execution, Node, NodeInstance } from '@nestify/model';
import { ArchiveEntry, buildTarGz, folderEntries } from '../support/archives';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp } from '../support/rest-app';

const FIXTURES = resolve(__dirname, '../fixtures');
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function helloWorld(): ArchiveEntry[] {
  return folderEntries(join(FIXTURES, 'blueprints/01-hello-world'), 'hello-world').filter(
    (entry) => !entry.name.endsWith('expected-plan.json'),
  );
}

function single(yaml: string): ArchiveEntry[] {
  return [
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: yaml },
  ];
}

/** A required input, a get_secret in a property, and capabilities to evaluate. */
const NEEDS = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
inputs:
  name:
    type: string
labels:
  tier:
    values: [gold]
node_types:
  test.Vm:
    derived_from: cloudify.nodes.Root
    properties:
      password: {}
node_templates:
  vm:
    type: test.Vm
    properties:
      password: { get_secret: pw }
capabilities:
  secret_value:
    value: { get_secret: pw }
  who:
    value: { get_sys: [deployment, name] }
  greeting:
    value: { concat: [hello, ' ', { get_input: name }] }
outputs:
  remote:
    value: { get_capability: [needs-1, who] }
`;

/**
 * /deployments over real HTTP on real PostgreSQL: creation from an uploaded blueprint (plan,
 * nodes, instances, the create_deployment_environment execution), input and secret errors,
 * reading and listing, outputs and capabilities evaluated against stored state, deletion rules,
 * visibility, site, labels and tenant isolation.
 */
describe('deployments API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let work: string;
  const alice = basic('alice', 'alice-pw'); // user in tenant_a
  const vera = basic('vera', 'vera-pw'); // viewer in tenant_a
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(rest.baseUrl);

  const put = (id: string, body: object, auth = alice, tenant = 'tenant_a', query = '') =>
    http()
      .put(`/api/v3.1/deployments/${id}${query}`)
      .set('Authorization', auth)
      .set('Tenant', tenant)
      .send(body);
  const get = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().get(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const del = (path: string, auth = alice, tenant = 'tenant_a') =>
    http().delete(`/api/v3.1/${path}`).set('Authorization', auth).set('Tenant', tenant);
  const send = (method: 'patch' | 'post' | 'put', path: string, body: object, auth = alice) =>
    http()
      [method](`/api/v3.1/${path}`)
      .set('Authorization', auth)
      .set('Tenant', 'tenant_a')
      .send(body);

  const uploadBlueprint = (id: string, entries: ArchiveEntry[]) =>
    http()
      .put(`/api/v3.1/blueprints/${id}`)
      .set('Authorization', alice)
      .set('Tenant', 'tenant_a')
      .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
      .attach('blueprint_archive', buildTarGz(entries), { filename: 'bp.tar.gz' })
      .then((response) => {
        if (response.status !== 201) throw new Error(`upload ${id}: ${response.text}`);
      });

  const deploymentRow = (id: string) => dataSource.getRepository(Deployment).findOneBy({ id });
  const nodesOf = (deploymentFk: number) =>
    dataSource.getRepository(Node).find({ where: { deploymentFk }, order: { id: 'ASC' } });
  const instancesOf = async (deploymentFk: number) =>
    dataSource
      .getRepository(NodeInstance)
      .createQueryBuilder('ni')
      .innerJoin(Node, 'n', 'n.storageId = ni.nodeFk')
      .where('n.deploymentFk = :deploymentFk', { deploymentFk })
      .orderBy('ni.storageId')
      .getMany();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-deployments-'));
    rest = await startRestTestApp({ env: { RESOURCES_DIR: join(work, 'resources') } });
    dataSource = rest.dataSource;
    await createTenant(dataSource, 'tenant_a');
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'alice', 'alice-pw', { tenant_a: 'user' });
    await createUser(dataSource, 'vera', 'vera-pw', { tenant_a: 'viewer' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    await uploadBlueprint('hello', helloWorld());
    await uploadBlueprint('needs', single(NEEDS));
  });

  afterAll(async () => {
    await rest?.close();
    rmSync(work, { recursive: true, force: true });
  });

  describe('creation', () => {
    it('creates a deployment: plan fields, labels, nodes, instances and a terminated create_deployment_environment', async () => {
      const response = await put('dep1', {
        blueprint_id: 'hello',
        inputs: { greeting: 'hi', app_port: 9090 },
        labels: [{ Env: 'prod' }, { team: ['a', 'b'] }],
        display_name: 'Dep One',
        visibility: 'tenant',
        skip_plugins_validation: false,
        runtime_only_evaluation: false,
      }).expect(201);
      expect(response.body).toMatchObject({
        id: 'dep1',
        display_name: 'Dep One',
        blueprint_id: 'hello',
        description: expect.stringContaining('A web app on a host'),
        inputs: { greeting: 'hi', app_port: 9090 },
        outputs: { endpoint: expect.any(Object), message: expect.any(Object) },
        capabilities: {},
        runtime_only_evaluation: false,
        site_name: null,
        installation_status: 'inactive',
        deployment_status: 'requires_attention',
        latest_execution_status: 'completed',
        latest_execution_workflow_id: 'create_deployment_environment',
        environment_type: '',
        has_sub_deployments: false,
        deployment_groups: [],
        visibility: 'tenant',
        resource_availability: 'tenant',
        private_resource: false,
        tenant_name: 'tenant_a',
        created_by: 'alice',
        created_at: expect.stringMatching(TIMESTAMP),
        updated_at: expect.stringMatching(TIMESTAMP),
      });
      expect(
        response.body.labels.map((l: { key: string; value: string }) => [l.key, l.value]),
      ).toEqual([
        ['env', 'prod'],
        ['team', 'a'],
        ['team', 'b'],
      ]);
      expect(response.body.labels[0]).toMatchObject({
        created_by: 'alice',
        created_at: expect.stringMatching(TIMESTAMP),
      });
      expect(response.body.create_execution).toBe(response.body.latest_execution);
      const install = response.body.workflows.find((w: { name: string }) => w.name === 'install');
      expect(install).toMatchObject({
        plugin: expect.any(String),
        operation: expect.any(String),
        parameters: expect.any(Object),
        is_available: true,
        is_cascading: false,
        availability_rules: { node_instances_active: ['none', 'partial'] },
      });
      const uninstall = response.body.workflows.find(
        (w: { name: string }) => w.name === 'uninstall',
      );
      expect(uninstall.is_available).toBe(false);

      const row = await deploymentRow('dep1');
      const nodes = await nodesOf(row!.storageId);
      expect(nodes.map((n) => n.id)).toEqual(['app', 'db', 'host']);
      expect(nodes.find((n) => n.id === 'app')!.properties).toMatchObject({ port: 9090 });
      const instances = await instancesOf(row!.storageId);
      expect(instances).toHaveLength(3);
      const host = instances.find((i) => i.id.startsWith('host_'))!;
      const app2 = instances.find((i) => i.id.startsWith('app_'))!;
      const db = instances.find((i) => i.id.startsWith('db_'))!;
      expect(instances.every((i) => i.hostId === host.id && i.state === 'uninitialized')).toBe(
        true,
      );
      expect(instances.every((i) => i.index === 1 && i.version === 1)).toBe(true);
      expect(app2.relationships).toEqual([
        { type: 'cloudify.relationships.contained_in', target_id: host.id, target_name: 'host' },
        { type: 'cloudify.relationships.connected_to', target_id: db.id, target_name: 'db' },
      ]);

      const execution = await dataSource
        .getRepository(Execution)
        .findOneByOrFail({ id: response.body.create_execution });
      expect(execution).toMatchObject({
        workflowId: 'create_deployment_environment',
        status: 'terminated',
        error: '',
        deploymentFk: row!.storageId,
        blueprintId: 'hello',
        isSystemWorkflow: false,
        parameters: {
          inputs: { greeting: 'hi', app_port: 9090 },
          display_name: 'Dep One',
          labels: [
            { key: 'env', value: 'prod' },
            { key: 'team', value: 'a' },
            { key: 'team', value: 'b' },
          ],
        },
      });
      expect(execution.endedAt).not.toBeNull();
    });

    it('takes ids that begin with a digit, display_name defaulting to the id', async () => {
      const response = await put('1st', { blueprint_id: 'hello' }).expect(201);
      expect(response.body).toMatchObject({
        id: '1st',
        display_name: '1st',
        inputs: { greeting: 'hello', app_port: 8080 },
      });
    });

    it('refuses a duplicate id with 409', async () => {
      const response = await put('dep1', { blueprint_id: 'hello' }).expect(409);
      expect(response.body.error_code).toBe('conflict_error');
    });

    it('refuses illegal ids, a missing blueprint_id, an unknown blueprint', async () => {
      expect((await put('bad id!', { blueprint_id: 'hello' }).expect(400)).body.error_code).toBe(
        'bad_parameters_error',
      );
      expect((await put('x1', {}).expect(400)).body.error_code).toBe('bad_parameters_error');
      const unknown = await put('x1', { blueprint_id: 'nope' }).expect(404);
      expect(unknown.body).toMatchObject({
        error_code: 'not_found_error',
        message: 'Requested `Blueprint` with ID `nope` was not found',
      });
    });

    it('refuses a blueprint that is not uploaded with deployment_creation_error', async () => {
      const blueprints = dataSource.getRepository(Blueprint);
      const hello = await blueprints.findOneByOrFail({ id: 'hello' });
      await blueprints.save(
        blueprints.create({
          id: 'half',
          state: 'uploading',
          tenantId: hello.tenantId,
          creatorId: hello.creatorId,
        }),
      );
      const response = await put('x2', { blueprint_id: 'half' }).expect(400);
      expect(response.body).toMatchObject({
        error_code: 'deployment_creation_error',
        message:
          'Unable to create a deployment based on a blueprint which is not `uploaded` but: `uploading`',
      });
      expect(await deploymentRow('x2')).toBeNull();
    });

    it('maps input problems to Cloudify codes: unknown, missing, wrong type, constraint', async () => {
      const unknown = await put('x3', { blueprint_id: 'hello', inputs: { colour: 'red' } }).expect(
        400,
      );
      expect(unknown.body).toMatchObject({
        error_code: 'unknown_deployment_input_error',
        message: 'Cannot create deployment - unknown inputs: colour',
      });
      const missing = await put('x3', { blueprint_id: 'needs' }).expect(400);
      expect(missing.body).toMatchObject({
        error_code: 'missing_required_deployment_input_error',
        message: 'missing inputs: name',
      });
      expect(await deploymentRow('x3')).toBeNull();

      const wrongType = await put('x3', {
        blueprint_id: 'hello',
        inputs: { app_port: 'abc' },
      }).expect(400);
      expect(wrongType.body.error_code).toBe('deployment_creation_error');
      expect(wrongType.body.message).toEqual(expect.any(String));
      // As in Cloudify, the failed deployment stays, with its failed create_deployment_environment…
      const failed = await get('deployments/x3').expect(200);
      expect(failed.body).toMatchObject({
        latest_execution_status: 'failed',
        deployment_status: 'requires_attention',
      });
      const execution = await dataSource
        .getRepository(Execution)
        .findOneByOrFail({ id: failed.body.create_execution });
      expect(execution).toMatchObject({
        status: 'failed',
        error: wrongType.body.message,
      });

      // …and creating it again replaces it.
      const constraint = await put('x3', {
        blueprint_id: 'hello',
        inputs: { app_port: 80 },
      }).expect(400);
      expect(constraint.body.error_code).toBe('deployment_creation_error');
      await put('x3', { blueprint_id: 'hello', inputs: { app_port: 2000 } }).expect(201);
      expect((await get('deployments/x3').expect(200)).body.inputs.app_port).toBe(2000);
      await del('deployments/x3').expect(204);
    });

    it('needs the secrets the plan reads; with async_create the failure is a 201 with a failed execution', async () => {
      const missing = await put('needs-1', {
        blueprint_id: 'needs',
        inputs: { name: 'world' },
      }).expect(400);
      expect(missing.body).toMatchObject({
        error_code: 'deployment_creation_error',
        message: "Required secrets: [pw] don't exist in this tenant",
      });
      const asyncFailed = await put(
        'needs-1',
        { blueprint_id: 'needs', inputs: { name: 'world' } },
        alice,
        'tenant_a',
        '?async_create=True',
      ).expect(201);
      expect(asyncFailed.body.latest_execution_status).toBe('failed');
      await send('put', 'secrets/pw', { value: 's3cret' }).expect(200);
      const created = await put('needs-1', {
        blueprint_id: 'needs',
        inputs: { name: 'world' },
      }).expect(201);
      expect(created.body.labels.map((l: { key: string }) => l.key)).toEqual(['tier']);
      expect(created.body.installation_status).toBe('inactive');
    });

    it('lets a viewer read but not create', async () => {
      const response = await put('x4', { blueprint_id: 'hello' }, vera).expect(403);
      expect(response.body.error_code).toBe('forbidden_error');
      await get('deployments/dep1', vera).expect(200);
    });

    it('keeps tenants apart', async () => {
      await get('deployments/dep1', bob, 'tenant_b').expect(404);
      expect((await get('deployments', bob, 'tenant_b').expect(200)).body.items).toEqual([]);
      await put('dep-b', { blueprint_id: 'hello' }, bob, 'tenant_b').expect(404);
      await del('deployments/dep1', bob, 'tenant_b').expect(404);
      await get('deployments/dep1/outputs', bob, 'tenant_b').expect(404);
    });
  });

  describe('reading', () => {
    it('GET one honours _include', async () => {
      const response = await get('deployments/dep1?_include=id,blueprint_id').expect(200);
      expect(response.body).toEqual({ id: 'dep1', blueprint_id: 'hello' });
      const bad = await get('deployments/dep1?_include=colour').expect(400);
      expect(bad.body.error_code).toBe('no_such_include_field_error');
    });

    it('lists with filters, search, sort and paging; workflows rendered only with _get_data', async () => {
      const all = await get('deployments?_sort=id').expect(200);
      expect(all.body.items.map((d: { id: string }) => d.id)).toEqual(['1st', 'dep1', 'needs-1']);
      expect(all.body.metadata).toEqual({
        pagination: { total: 3, size: 1000, offset: 0 },
        filtered: null,
      });
      const plain = all.body.items.find((d: { id: string }) => d.id === 'dep1');
      expect(plain.workflows).toHaveLength(15);
      expect(plain.workflows[0]).toMatchObject({ name: null, is_available: null });
      const rendered = await get('deployments?id=dep1&_get_data=true').expect(200);
      // jsonb keeps keys in its own order, not the plan's.
      expect(rendered.body.items[0].workflows.map((w: { name: string }) => w.name)).toContain(
        'install',
      );

      const page = await get('deployments?_sort=-id&_size=1&_offset=1&_include=id').expect(200);
      expect(page.body).toEqual({
        items: [{ id: 'dep1' }],
        metadata: { pagination: { total: 3, size: 1, offset: 1 }, filtered: null },
      });
      const byBlueprint = await get('deployments?blueprint_id=needs&_include=id').expect(200);
      expect(byBlueprint.body.items).toEqual([{ id: 'needs-1' }]);
      const search = await get('deployments?_search=DEP&_include=id').expect(200);
      expect(search.body.items).toEqual([{ id: 'dep1' }]);
      const byName = await get('deployments?_search_name=one&_include=id,display_name').expect(200);
      expect(byName.body.items).toEqual([{ id: 'dep1', display_name: 'Dep One' }]);
      expect((await get('deployments?colour=red').expect(400)).body.error_code).toBe(
        'bad_parameters_error',
      );
      expect((await get('deployments?_sort=colour').expect(400)).body.error_code).toBe(
        'bad_parameters_error',
      );
    });

    it('lists label keys and values', async () => {
      expect((await get('labels/deployments').expect(200)).body.items).toEqual([
        'env',
        'team',
        'tier',
      ]);
      expect((await get('labels/deployments/team').expect(200)).body.items).toEqual(['a', 'b']);
    });
  });

  describe('outputs and capabilities', () => {
    it('evaluates outputs against the instances now: get_attribute follows runtime properties', async () => {
      const before = await get('deployments/dep1/outputs').expect(200);
      expect(before.body).toEqual({
        deployment_id: 'dep1',
        outputs: { endpoint: 'http://127.0.0.1:9090', message: null },
      });
      const row = await deploymentRow('dep1');
      const instances = await instancesOf(row!.storageId);
      const host = instances.find((i) => i.id.startsWith('host_'))!;
      const app2 = instances.find((i) => i.id.startsWith('app_'))!;
      await send('patch', `node-instances/${host.id}`, {
        version: 1,
        runtime_properties: { ip: '10.0.0.5' },
      }).expect(200);
      await send('patch', `node-instances/${app2.id}`, {
        version: 1,
        runtime_properties: { message: 'up' },
      }).expect(200);
      const after = await get('deployments/dep1/outputs').expect(200);
      expect(after.body.outputs).toEqual({ endpoint: 'http://10.0.0.5:9090', message: 'up' });
    });

    it('evaluates capabilities: secrets, get_sys, inputs; get_capability reads another deployment', async () => {
      const response = await get('deployments/needs-1/capabilities').expect(200);
      expect(response.body).toEqual({
        deployment_id: 'needs-1',
        capabilities: { secret_value: 's3cret', who: 'needs-1', greeting: 'hello world' },
      });
      const outputs = await get('deployments/needs-1/outputs').expect(200);
      expect(outputs.body.outputs).toEqual({ remote: 'needs-1' });
      expect((await get('deployments/dep1/capabilities').expect(200)).body.capabilities).toEqual(
        {},
      );
    });
  });

  describe('visibility and site', () => {
    it('widens visibility but never narrows it', async () => {
      const narrowed = await send('patch', 'deployments/1st/set-visibility', {
        visibility: 'private',
      }).expect(400);
      expect(narrowed.body.error_code).toBe('illegal_action_error');
      const global = await send('patch', 'deployments/1st/set-visibility', {
        visibility: 'global',
      }).expect(403);
      expect(global.body.error_code).toBe('forbidden_error');
    });

    it('attaches and detaches a site', async () => {
      await send('put', 'sites/paris', { location: '48.85, 2.35' }).expect(200);
      const attached = await send('post', 'deployments/1st/set-site', {
        site_name: 'paris',
      }).expect(200);
      expect(attached.body.site_name).toBe('paris');
      expect((await get('deployments?site_name=paris&_include=id').expect(200)).body.items).toEqual(
        [{ id: '1st' }],
      );
      await send('post', 'deployments/1st/set-site', {}).expect(400);
      await send('post', 'deployments/1st/set-site', { site_name: 'nowhere' }).expect(404);
      const detached = await send('post', 'deployments/1st/set-site', { detach_site: true }).expect(
        200,
      );
      expect(detached.body.site_name).toBeNull();
      const created = await put('sited', { blueprint_id: 'hello', site_name: 'paris' }).expect(201);
      expect(created.body.site_name).toBe('paris');
      await del('deployments/sited').expect(204);
    });
  });

  describe('deletion', () => {
    it('refuses while an execution runs or waits', async () => {
      const row = (await deploymentRow('1st'))!;
      const executions = dataSource.getRepository(Execution);
      const running = await executions.save(
        executions.create({
          id: 'e-running',
          workflowId: 'install',
          status: 'queued' as Execution['status'],
          deploymentFk: row.storageId,
          tenantId: row.tenantId,
          creatorId: row.creatorId,
        }),
      );
      const refused = await del('deployments/1st?force=True').expect(400);
      expect(refused.body).toMatchObject({
        error_code: 'dependent_exists_error',
        message: expect.stringContaining(
          'There are running or queued executions for this deployment. Running executions ids: e-running',
        ),
      });
      await executions.update(
        { storageId: running.storageId },
        { status: 'terminated' as Execution['status'] },
      );
      await del('deployments/1st?force=False&delete_logs=False&recursive=False').expect(204);
      expect(await deploymentRow('1st')).toBeNull();
      expect(await executions.countBy({ deploymentFk: row.storageId })).toBe(0);
    });

    it('refuses while an instance is live unless forced; then everything of it is gone', async () => {
      const row = (await deploymentRow('dep1'))!;
      const host = (await instancesOf(row.storageId)).find((i) => i.id.startsWith('host_'))!;
      await send('patch', `node-instances/${host.id}`, { version: 2, state: 'started' }).expect(
        200,
      );
      const refused = await del('deployments/dep1').expect(400);
      expect(refused.body).toMatchObject({
        error_code: 'dependent_exists_error',
        message: `Can't delete deployment dep1 - There are live nodes for this deployment. Live nodes ids: ${host.id}`,
      });
      await del('deployments/dep1?force=true').expect(204);
      await get('deployments/dep1').expect(404);
      expect(await nodesOf(row.storageId)).toEqual([]);
      expect(await instancesOf(row.storageId)).toEqual([]);
      expect(
        await dataSource.getRepository(Execution).countBy({ deploymentFk: row.storageId }),
      ).toBe(0);
      expect((await get('deployments?id=dep1').expect(200)).body.items).toEqual([]);
    });

    it('answers 404 for an unknown deployment', async () => {
      await del('deployments/nope').expect(404);
    });
  });
});
