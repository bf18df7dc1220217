import request from 'supertest';
import { DataSource } from 'typeorm';
import { Event, Execution, Log, Tenant } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

/** GET and DELETE /events over real HTTP, on rows written straight into real PostgreSQL. */
describe('events API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let install: Execution;
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const bob = basic('bob', 'bob-pw');
  const http = () => request(rest.baseUrl);
  const get = (query: string, auth = admin, tenant = 'default_tenant') =>
    http().get(`/api/v3.1/events${query}`).set('Authorization', auth).set('Tenant', tenant);

  beforeAll(async () => {
    rest = await startRestTestApp();
    dataSource = rest.dataSource;
    const f = new Fixtures(dataSource.manager);
    const deployment = await f.deployment(undefined, 'web-dep');
    const node = await f.node(deployment, 'vm');
    await f.nodeInstance(node, 'vm_abc123');
    install = await f.execution(deployment, undefined, '11111111-1111-4111-8111-111111111111');
    await dataSource
      .getRepository(Execution)
      .update({ storageId: install.storageId }, { blueprintId: 'web-bp' });
    const owned = { tenantId: install.tenantId, creatorId: 0, executionFk: install.storageId };
    const events = dataSource.getRepository(Event);
    const logs = dataSource.getRepository(Log);
    await events.save([
      events.create({
        ...owned,
        timestamp: at(1),
        reportedTimestamp: at(2),
        eventType: 'workflow_started',
        message: "Starting 'install' workflow execution",
      }),
      events.create({
        ...owned,
        timestamp: at(3),
        reportedTimestamp: at(4),
        eventType: 'task_failed',
        message: "Task failed 'script_runner.tasks.run'",
        operation: 'cloudify.interfaces.lifecycle.create',
        nodeId: 'vm_abc123',
        errorCauses: [{ message: 'boom', type: 'RuntimeError', traceback: '' }],
      }),
      events.create({
        ...owned,
        timestamp: at(9),
        reportedTimestamp: at(9),
        eventType: 'workflow_succeeded',
        message: "'install' workflow execution succeeded",
      }),
    ]);
    await logs.save([
      logs.create({
        ...owned,
        timestamp: at(5),
        reportedTimestamp: at(5),
        logger: 'ctx',
        level: 'info',
        message: 'creating the vm',
        nodeId: 'vm_abc123',
        operation: 'cloudify.interfaces.lifecycle.create',
      }),
      logs.create({
        ...owned,
        timestamp: at(6),
        reportedTimestamp: at(6),
        logger: 'ctx',
        level: 'error',
        message: 'disk full',
        nodeId: 'vm_gone99',
      }),
    ]);
    // Another tenant's execution with its own event.
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
    const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
    const other = await f.execution(null, { tenantId: tenantB.id });
    await events.save(
      events.create({
        tenantId: tenantB.id,
        creatorId: 0,
        executionFk: other.storageId,
        timestamp: at(2),
        reportedTimestamp: at(2),
        eventType: 'workflow_started',
        message: 'other tenant',
      }),
    );
  });

  afterAll(async () => {
    await rest?.close();
  });

  it('returns events and logs of the tenant in timestamp order, each kind with its fields', async () => {
    const response = await get('?execution_id=11111111-1111-4111-8111-111111111111').expect(200);
    expect(response.body.metadata).toEqual({ pagination: { total: 5, size: 10000, offset: 0 } });
    expect(response.body.items.map((e: { message: string }) => e.message)).toEqual([
      "Starting 'install' workflow execution",
      "Task failed 'script_runner.tasks.run'",
      'creating the vm',
      'disk full',
      "'install' workflow execution succeeded",
    ]);
    const [, failed, created, diskFull] = response.body.items;
    expect(failed).toMatchObject({
      type: 'cloudify_event',
      event_type: 'task_failed',
      timestamp: '2026-01-01T00:00:03.000Z',
      reported_timestamp: '2026-01-01T00:00:04.000Z',
      blueprint_id: 'web-bp',
      deployment_id: 'web-dep',
      execution_id: '11111111-1111-4111-8111-111111111111',
      workflow_id: 'install',
      node_instance_id: 'vm_abc123',
      node_name: 'vm',
      operation: 'cloudify.interfaces.lifecycle.create',
      error_causes: [{ message: 'boom', type: 'RuntimeError', traceback: '' }],
    });
    expect(failed).not.toHaveProperty('level');
    expect(created).toMatchObject({ type: 'cloudify_log', logger: 'ctx', level: 'info' });
    expect(created).not.toHaveProperty('event_type');
    // An instance that no longer exists shows as null.
    expect(diskFull).toMatchObject({ node_instance_id: null, node_name: null });
  });

  it('filters by type, level, event_type, message and operation patterns, node and time range', async () => {
    const messages = async (query: string) =>
      (await get(query).expect(200)).body.items.map((e: { message: string }) => e.message);
    expect(await messages('?type=cloudify_log')).toEqual(['creating the vm', 'disk full']);
    expect(await messages('?level=error')).toEqual(['disk full']);
    expect(await messages('?event_type=workflow_started&event_type=workflow_succeeded')).toEqual([
      "Starting 'install' workflow execution",
      "'install' workflow execution succeeded",
    ]);
    expect(await messages('?message.text=%25WORKFLOW%25')).toHaveLength(2);
    expect(await messages('?operation=%25lifecycle.create')).toHaveLength(2);
    expect(await messages('?node_id=vm_abc123')).toEqual([
      "Task failed 'script_runner.tasks.run'",
      'creating the vm',
    ]);
    expect(
      await messages('?_range=@timestamp,2026-01-01T00:00:03.000Z,2026-01-01T00:00:06.000Z'),
    ).toEqual(["Task failed 'script_runner.tasks.run'", 'creating the vm']);
    expect(await messages('?deployment_id=web-dep&blueprint_id=web-bp')).toHaveLength(5);
  });

  it('pages, sorts and includes', async () => {
    const page = await get('?_size=2&_offset=1&_sort=-@timestamp&_include=message,type').expect(
      200,
    );
    expect(page.body.metadata.pagination).toEqual({ total: 5, size: 2, offset: 1 });
    expect(page.body.items).toEqual([
      { message: 'disk full', type: 'cloudify_log' },
      { message: 'creating the vm', type: 'cloudify_log' },
    ]);
  });

  it('refuses unknown filters, types, sort keys and ranges', async () => {
    const unknown = await get('?colour=red').expect(400);
    expect(unknown.body).toMatchObject({
      error_code: 'bad_parameters_error',
      message: expect.stringContaining('Unknown field to filter by'),
    });
    await get('?type=cloudify_metric').expect(400);
    await get('?_sort=colour').expect(400);
    await get('?_range=@timestamp,yesterday,').expect(400);
  });

  it('keeps tenants apart', async () => {
    const other = await get('', bob, 'tenant_b').expect(200);
    expect(other.body.items.map((e: { message: string }) => e.message)).toEqual(['other tenant']);
    await get('', bob, 'default_tenant').expect(403);
  });

  it('deletes a deployment’s events and logs', async () => {
    const deleted = await http()
      .delete('/api/v3.1/events?deployment_id=web-dep&type=cloudify_log')
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(200);
    expect(deleted.body.items).toEqual([{ count: 2 }]);
    expect(await dataSource.getRepository(Log).count()).toBe(0);
    expect(await dataSource.getRepository(Event).count()).toBe(4);
    await http()
      .delete('/api/v3.1/events')
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .expect(400);
  });
});
