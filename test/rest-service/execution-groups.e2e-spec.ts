import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { Deployment, Execution } from '@nestify/model';
import { createMessageBus, QUEUES } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { Fixtures, uniqueId } from '../model/fixtures';
import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import { basic, createTenant, createUser } from '../support/rest-users';

const ADMIN_PASSWORD = 'admin-secret';

const WORKFLOWS = {
  install: { operation: 'cloudify.plugins.workflows.install', plugin: 'default_workflows' },
  execute_operation: {
    operation: 'cloudify.plugins.workflows.execute_operation',
    plugin: 'default_workflows',
    parameters: {
      operation: { type: 'string' },
      retries: { type: 'integer', default: 3 },
    },
  },
};

interface StartMessage {
  id: string;
  cloudify_task: { kwargs: Record<string, unknown> };
}

/**
 * /execution-groups over real HTTP, PostgreSQL and RabbitMQ: one execution per deployment of a
 * group, started through the executions path (start messages consumed from the workflow queue),
 * paced by the group's concurrency as members end; cancel/resume; success and failure groups;
 * the `_group_id` executions filter and group logs; errors, tenants and roles.
 */
describe('execution groups API', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let f: Fixtures;
  let bus: MessageBus;
  const received: StartMessage[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const admin = basic('admin', ADMIN_PASSWORD);
  const vic = basic('vic', 'vic-pw'); // viewer in default_tenant
  const bob = basic('bob', 'bob-pw'); // user in tenant_b
  const http = () => request(app.getHttpServer());
  const as = (auth: string, tenant = 'default_tenant') => ({
    get: (path: string) =>
      http().get(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant),
    post: (path: string, body?: object) =>
      http().post(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant).send(body),
    patch: (path: string, body: object) =>
      http().patch(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant).send(body),
    put: (path: string, body: object) =>
      http().put(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant).send(body),
  });
  const api = as(admin);

  async function waitFor<T>(find: () => Promise<T | undefined> | T | undefined, what: string) {
    const deadline = Date.now() + 10000;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const startMessageOf = (executionId: string) =>
    waitFor(
      () => received.find((m) => m.id === executionId),
      `the start message of ${executionId}`,
    );
  /** Nothing is published for an execution: checked after a later message arrived. */
  const noMessageFor = (executionId: string) =>
    expect(received.find((m) => m.id === executionId)).toBeUndefined();

  /** A deployment group of `count` fresh deployments, named after the test. */
  async function deploymentGroup(count: number): Promise<{ id: string; deployments: string[] }> {
    const deployments: string[] = [];
    for (let i = 0; i < count; i++) {
      const deployment = await f.deployment();
      await dataSource
        .getRepository(Deployment)
        .update({ storageId: deployment.storageId }, { workflows: WORKFLOWS as never });
      deployments.push(deployment.id);
    }
    const id = uniqueId('dg');
    await api.put(`/deployment-groups/${id}`, { deployment_ids: deployments }).expect(200);
    return { id, deployments };
  }

  const statusOf = async (executionId: string) =>
    (await api.get(`/executions/${executionId}`).expect(200)).body.status as string;
  const executionsOf = async (groupId: string) =>
    (await api.get(`/executions?_group_id=${groupId}&_sort=created_at`).expect(200)).body
      .items as Array<{ id: string; status: string; deployment_id: string; parameters: object }>;
  const end = async (executionId: string, status: 'terminated' | 'failed') => {
    await api.patch(`/executions/${executionId}`, { status: 'started' }).expect(200);
    await api.patch(`/executions/${executionId}`, { status }).expect(200);
  };

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
    });
    app = await createRestService(config);
    await app.init();
    dataSource = app.get(DataSource);
    f = new Fixtures(dataSource.manager);
    bus = await createMessageBus(config.messaging);
    cleanups.unshift(() => bus.close());
    await bus.consume(QUEUES.workflows, async (message) => {
      received.push(message.body as StartMessage);
    });
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'vic', 'vic-pw', { default_tenant: 'viewer' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterAll(async () => {
    await app?.close();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('starts `concurrency` members, queues the rest and starts them as members end', async () => {
    const source = await deploymentGroup(3);
    const created = await api
      .post('/execution-groups', {
        deployment_group_id: source.id,
        workflow_id: 'execute_operation',
        default_parameters: { operation: 'op.default' },
        parameters: { [source.deployments[2]]: { operation: 'op.special' } },
        concurrency: 2,
      })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workflow_id: 'execute_operation',
      deployment_group_id: source.id,
      concurrency: 2,
      created_at: expect.stringMatching(/Z$/),
      execution_ids: expect.any(Array),
      status: 'queued',
      visibility: 'tenant',
      tenant_name: 'default_tenant',
      created_by: 'admin',
    });
    const members = await executionsOf(created.body.id);
    expect(members.map((m) => m.id).sort()).toEqual([...created.body.execution_ids].sort());
    expect(members.map((m) => m.deployment_id)).toEqual(source.deployments);
    expect(members.map((m) => m.status)).toEqual(['pending', 'pending', 'queued']);
    expect(members[0].parameters).toEqual({ operation: 'op.default', retries: 3 });
    expect(members[2].parameters).toEqual({ operation: 'op.special', retries: 3 });
    await startMessageOf(members[0].id);
    await startMessageOf(members[1].id);
    noMessageFor(members[2].id);

    // A member ending makes room: the queued one is started through the same dispatch.
    await end(members[0].id, 'terminated');
    await startMessageOf(members[2].id);
    expect(await statusOf(members[2].id)).toBe('pending');
    const group = await api.get(`/execution-groups/${created.body.id}`).expect(200);
    expect(group.body.status).toBe('started');
    await end(members[1].id, 'failed');
    await end(members[2].id, 'terminated');
    const ended = await api.get(`/execution-groups/${created.body.id}`).expect(200);
    expect(ended.body.status).toBe('failed');
  });

  it('keeps the concurrency while the queue drains, and a paused group (0) waits for a PATCH', async () => {
    const source = await deploymentGroup(2);
    const paused = await api
      .post('/execution-groups', {
        deployment_group_id: source.id,
        workflow_id: 'install',
        concurrency: 0,
      })
      .expect(201);
    const members = await executionsOf(paused.body.id);
    expect(members.map((m) => m.status)).toEqual(['queued', 'queued']);
    // Something else ending runs the queue; the paused group's members stay queued.
    const other = (await deploymentGroup(1)).id;
    const otherGroup = await api
      .post('/execution-groups', { deployment_group_id: other, workflow_id: 'install' })
      .expect(201);
    await end(otherGroup.body.execution_ids[0], 'terminated');
    expect(members.map((m) => received.find((r) => r.id === m.id))).toEqual([undefined, undefined]);
    expect(await statusOf(members[0].id)).toBe('queued');

    const resumed = await api
      .patch(`/execution-groups/${paused.body.id}`, { concurrency: 1 })
      .expect(200);
    expect(resumed.body.concurrency).toBe(1);
    await startMessageOf(members[0].id);
    noMessageFor(members[1].id);
    expect(await statusOf(members[1].id)).toBe('queued');
    await end(members[0].id, 'terminated');
    await startMessageOf(members[1].id);
  });

  it('adds the deployments of ended members to the success and failure groups', async () => {
    const source = await deploymentGroup(3);
    const ok = uniqueId('ok');
    const bad = uniqueId('bad');
    await api.put(`/deployment-groups/${ok}`, {}).expect(200);
    await api.put(`/deployment-groups/${bad}`, {}).expect(200);
    const group = (
      await api
        .post('/execution-groups', { deployment_group_id: source.id, workflow_id: 'install' })
        .expect(201)
    ).body;
    const members = await executionsOf(group.id);
    // One ends before the result groups are set: it joins when they are.
    await end(members[0].id, 'terminated');
    await api
      .patch(`/execution-groups/${group.id}`, { success_group_id: ok, failure_group_id: bad })
      .expect(200);
    await end(members[1].id, 'failed');
    await end(members[2].id, 'terminated');
    const okGroup = await api.get(`/deployment-groups/${ok}`).expect(200);
    expect(okGroup.body.deployment_ids.sort()).toEqual(
      [source.deployments[0], source.deployments[2]].sort(),
    );
    const badGroup = await api.get(`/deployment-groups/${bad}`).expect(200);
    expect(badGroup.body.deployment_ids).toEqual([source.deployments[1]]);
    const missing = await api
      .patch(`/execution-groups/${group.id}`, { success_group_id: 'no-such-group' })
      .expect(404);
    expect(missing.body.error_code).toBe('not_found_error');
  });

  it('cancels every member that has not ended (queued ones at once) and resumes them', async () => {
    const source = await deploymentGroup(3);
    const group = (
      await api
        .post('/execution-groups', {
          deployment_group_id: source.id,
          workflow_id: 'install',
          concurrency: 1,
        })
        .expect(201)
    ).body;
    const [first, second, third] = await executionsOf(group.id);
    await end(first.id, 'terminated');
    await startMessageOf(second.id);
    const cancelled = await api
      .post(`/execution-groups/${group.id}`, { action: 'cancel' })
      .expect(200);
    expect(cancelled.body.status).toBe('started');
    expect(await statusOf(first.id)).toBe('terminated');
    expect(await statusOf(second.id)).toBe('cancelling');
    expect(await statusOf(third.id)).toBe('cancelled');
    await api.patch(`/executions/${second.id}`, { status: 'cancelled' }).expect(200);
    const done = await api.get(`/execution-groups/${group.id}`).expect(200);
    expect(done.body.status).toBe('terminated');

    received.length = 0;
    await api.post(`/execution-groups/${group.id}`, { action: 'resume' }).expect(200);
    expect(await statusOf(first.id)).toBe('terminated');
    await startMessageOf(second.id);
    await startMessageOf(third.id);
    const again = await api.get(`/execution-groups/${group.id}`).expect(200);
    expect(again.body.status).toBe('started');

    const badAction = await api
      .post(`/execution-groups/${group.id}`, { action: 'requeue' })
      .expect(400);
    expect(badAction.body.error_code).toBe('bad_parameters_error');
  });

  it('logs deployments that lack the workflow on the group instead of failing it', async () => {
    const source = await deploymentGroup(1);
    const plain = await f.deployment(); // only `install`
    await api
      .patch(`/deployment-groups/${source.id}`, { add: { deployment_ids: [plain.id] } })
      .expect(200);
    const group = await api
      .post('/execution-groups', {
        deployment_group_id: source.id,
        workflow_id: 'execute_operation',
        default_parameters: { operation: 'op' },
      })
      .expect(201);
    expect(group.body.execution_ids).toHaveLength(1);
    const logs = await api
      .get(`/events?execution_group_id=${group.body.id}&type=cloudify_log`)
      .expect(200);
    expect(logs.body.items).toEqual([
      expect.objectContaining({
        type: 'cloudify_log',
        execution_group_id: group.body.id,
        message: expect.stringContaining(plain.id),
      }),
    ]);
    const rows = await dataSource.getRepository(Execution).count({
      where: { deploymentFk: plain.storageId },
    });
    expect(rows).toBe(0);
  });

  it('lists groups, rendering members and status only with _get_data', async () => {
    const listed = await api.get('/execution-groups?_sort=-created_at&_size=2').expect(200);
    expect(listed.body.metadata.pagination).toEqual({
      total: expect.any(Number),
      size: 2,
      offset: 0,
    });
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items[0]).not.toHaveProperty('execution_ids');
    expect(listed.body.items[0]).not.toHaveProperty('status');
    const withData = await api.get('/execution-groups?_get_data=true&_size=1').expect(200);
    expect(withData.body.items[0]).toMatchObject({
      execution_ids: expect.any(Array),
      status: expect.any(String),
    });
    const filtered = await api.get('/execution-groups?workflow_id=execute_operation').expect(200);
    expect(
      filtered.body.items.every(
        (g: { workflow_id: string }) => g.workflow_id === 'execute_operation',
      ),
    ).toBe(true);
    const included = await api
      .get(`/execution-groups/${listed.body.items[0].id}?_include=id,status`)
      .expect(200);
    expect(Object.keys(included.body).sort()).toEqual(['id', 'status']);
  });

  it('answers 404 and 400 with Cloudify codes', async () => {
    const unknownSource = await api
      .post('/execution-groups', { deployment_group_id: 'nope', workflow_id: 'install' })
      .expect(404);
    expect(unknownSource.body).toMatchObject({
      error_code: 'not_found_error',
      message: 'Requested `DeploymentGroup` with ID `nope` was not found',
    });
    const source = await deploymentGroup(1);
    const negative = await api
      .post('/execution-groups', {
        deployment_group_id: source.id,
        workflow_id: 'install',
        concurrency: -1,
      })
      .expect(400);
    expect(negative.body.error_code).toBe('bad_parameters_error');
    expect(negative.body.message).toContain('concurrency must be a nonnegative number');
    const missing = await api.post('/execution-groups', { workflow_id: 'install' }).expect(400);
    expect(missing.body.error_code).toBe('bad_parameters_error');
    const unknown = await api.get('/execution-groups/nope').expect(404);
    expect(unknown.body.error_code).toBe('not_found_error');
  });

  it('keeps tenants apart and lets a viewer read but not start or cancel', async () => {
    const source = await deploymentGroup(1);
    const group = (
      await api
        .post('/execution-groups', { deployment_group_id: source.id, workflow_id: 'install' })
        .expect(201)
    ).body;
    await as(bob, 'tenant_b').get(`/execution-groups/${group.id}`).expect(404);
    const bobs = await as(bob, 'tenant_b').get('/execution-groups').expect(200);
    expect(bobs.body.items).toEqual([]);
    const hidden = await as(bob, 'tenant_b')
      .post('/execution-groups', { deployment_group_id: source.id, workflow_id: 'install' })
      .expect(404);
    expect(hidden.body.error_code).toBe('not_found_error');

    await as(vic).get(`/execution-groups/${group.id}`).expect(200);
    const refused = await as(vic)
      .post('/execution-groups', { deployment_group_id: source.id, workflow_id: 'install' })
      .expect(403);
    expect(refused.body.error_code).toBe('forbidden_error');
    await as(vic).post(`/execution-groups/${group.id}`, { action: 'cancel' }).expect(403);
    await as(vic).patch(`/execution-groups/${group.id}`, { concurrency: 3 }).expect(403);
  });
});
