import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  Deployment,
  DeploymentStatus,
  Execution,
  ExecutionStatus,
  NodeInstance,
  Tenant,
} from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** GET /summary/<resource> over real HTTP, on rows written straight into PostgreSQL. */
describe('summary API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const dave = basic('dave', 'dave-pw');
  const http = () => request(rest.baseUrl);
  const summary = (path: string, auth = admin, tenant = 'default_tenant') =>
    http().get(`/api/v3.1/summary/${path}`).set('Authorization', auth).set('Tenant', tenant);

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    const f = new Fixtures(dataSource.manager);
    const deployments = dataSource.getRepository(Deployment);
    const executions = dataSource.getRepository(Execution);

    // default_tenant: blueprint bp-a with two deployments, bp-b with one (on a site).
    const bpA = await f.blueprint(undefined, 'bp-a');
    const bpB = await f.blueprint(undefined, 'bp-b');
    const site = await f.site(undefined, 'tlv');
    const web = await f.deployment(undefined, 'web');
    const db = await f.deployment(undefined, 'db');
    const cache = await f.deployment(undefined, 'cache');
    await deployments.update(
      { storageId: web.storageId },
      { blueprintFk: bpA.storageId, deploymentStatus: DeploymentStatus.Good },
    );
    await deployments.update(
      { storageId: db.storageId },
      { blueprintFk: bpA.storageId, deploymentStatus: DeploymentStatus.RequiresAttention },
    );
    await deployments.update(
      { storageId: cache.storageId },
      {
        blueprintFk: bpB.storageId,
        siteFk: site.storageId,
        deploymentStatus: DeploymentStatus.Good,
      },
    );
    // Nodes and instances: web has vm (2 instances) and app (1); db has vm (1).
    const webVm = await f.node(web, 'vm');
    const webApp = await f.node(web, 'app');
    const dbVm = await f.node(db, 'vm');
    const instances = dataSource.getRepository(NodeInstance);
    const started = async (node: typeof webVm, id: string, state: string, index: number) => {
      const instance = await f.nodeInstance(node, id);
      await instances.update({ storageId: instance.storageId }, { state, index });
    };
    await started(webVm, 'vm_aaaaaa', 'started', 1);
    await started(webVm, 'vm_bbbbbb', 'started', 2);
    await started(webApp, 'app_cccccc', 'creating', 1);
    await started(dbVm, 'vm_dddddd', 'started', 1);
    // Executions: web install terminated, web uninstall failed, db install terminated.
    const run = async (deployment: Deployment, workflowId: string, status: ExecutionStatus) => {
      const execution = await f.execution(deployment);
      await executions.update({ storageId: execution.storageId }, { workflowId, status });
    };
    await run(web, 'install', ExecutionStatus.Terminated);
    await run(web, 'uninstall', ExecutionStatus.Failed);
    await run(db, 'install', ExecutionStatus.Terminated);

    // Another tenant, which dave belongs to, with one deployment of its own.
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'dave', 'dave-pw', { tenant_b: 'viewer' });
    const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
    await f.deployment({ tenantId: tenantB.id }, 'other');
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('counts deployments by blueprint (the tenant only, each blueprint once)', async () => {
    const response = await summary('deployments?_target_field=blueprint_id').expect(200);
    // Every fixture deployment got its own blueprint before being moved to bp-a/bp-b.
    expect(response.body.items).toEqual([
      { blueprint_id: 'bp-a', deployments: 2 },
      { blueprint_id: 'bp-b', deployments: 1 },
    ]);
    expect(response.body.metadata).toEqual({
      pagination: { total: 2, size: 1000, offset: 0 },
      filtered: null,
    });
  });

  it('nests counts by a sub-field', async () => {
    const response = await summary(
      'deployments?_target_field=deployment_status&_sub_field=site_name',
    ).expect(200);
    expect(response.body.items).toEqual([
      {
        deployment_status: 'good',
        deployments: 2,
        'by site_name': [
          { site_name: 'tlv', deployments: 1 },
          { site_name: null, deployments: 1 },
        ],
      },
      {
        deployment_status: 'requires_attention',
        deployments: 1,
        'by site_name': [{ site_name: null, deployments: 1 }],
      },
    ]);
  });

  it('applies equality filters and paging over groups', async () => {
    const filtered = await summary('node_instances?_target_field=node_id&deployment_id=web').expect(
      200,
    );
    expect(filtered.body.items).toEqual([
      { node_id: 'app', node_instances: 1 },
      { node_id: 'vm', node_instances: 2 },
    ]);
    const page = await summary('node_instances?_target_field=state&_size=1&_offset=1').expect(200);
    expect(page.body.items).toEqual([{ state: 'started', node_instances: 3 }]);
    expect(page.body.metadata.pagination).toEqual({ total: 2, size: 1, offset: 1 });
    const sizeZero = await summary('node_instances?_target_field=index&_size=0').expect(200);
    expect(sizeZero.body).toMatchObject({ items: [], metadata: { pagination: { total: 2 } } });
  });

  it('summarizes nodes, executions (with status_display) and blueprints', async () => {
    expect((await summary('nodes?_target_field=deployment_id').expect(200)).body.items).toEqual([
      { deployment_id: 'db', nodes: 1 },
      { deployment_id: 'web', nodes: 2 },
    ]);
    const byStatus = await summary(
      'executions?_target_field=status_display&_sub_field=workflow_id',
    ).expect(200);
    expect(byStatus.body.items).toEqual([
      {
        status_display: 'completed',
        executions: 2,
        'by workflow_id': [{ workflow_id: 'install', executions: 2 }],
      },
      {
        status_display: 'failed',
        executions: 1,
        'by workflow_id': [{ workflow_id: 'uninstall', executions: 1 }],
      },
    ]);
    const blueprints = await summary('blueprints?_target_field=visibility').expect(200);
    expect(blueprints.body.items).toEqual([{ visibility: 'tenant', blueprints: 5 }]);
    const schedules = await summary('execution_schedules?_target_field=workflow_id').expect(200);
    expect(schedules.body.items).toEqual([]);
  });

  it('refuses fields that cannot be summarized, and unknown filters', async () => {
    const bad = await summary('deployments?_target_field=inputs').expect(400);
    expect(bad.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message:
        'Invalid summary field: inputs. Allowed values: blueprint_id, tenant_name, visibility, site_name, deployment_status',
    });
    await summary('nodes?_target_field=deployment_id&_sub_field=state').expect(400);
    await summary('executions').expect(400);
    await summary('blueprints?_target_field=visibility&colour=red').expect(400);
  });

  it('keeps tenants apart, and _all_tenants spans the tenants the caller may see', async () => {
    const other = await summary('deployments?_target_field=tenant_name', dave, 'tenant_b').expect(
      200,
    );
    expect(other.body.items).toEqual([{ tenant_name: 'tenant_b', deployments: 1 }]);
    const mine = await summary(
      'deployments?_target_field=tenant_name&_all_tenants=true',
      dave,
      'tenant_b',
    ).expect(200);
    expect(mine.body.items).toEqual([{ tenant_name: 'tenant_b', deployments: 1 }]);
    const everything = await summary(
      'deployments?_target_field=tenant_name&_all_tenants=true',
    ).expect(200);
    expect(everything.body.items).toEqual([
      { tenant_name: 'default_tenant', deployments: 3 },
      { tenant_name: 'tenant_b', deployments: 1 },
    ]);
    await summary('deployments?_target_field=tenant_name', dave).expect(403);
  });
});
