import request from 'supertest';
import { DataSource } from 'typeorm';
import type { NestifyConfig } from '@nestify/config';
import { randomUUID } from 'node:crypto';
import { Visibility } from '@nestify/common';
import {
  Deployment,
  Event,
  Execution,
  ExecutionStatus,
  NodeInstance,
  Tenant,
  User,
} from '@nestify/model';
import { createMessageBus, QUEUES } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { DEFAULT_SCOPE, Fixtures } from '../model/fixtures';
import { basic, createTenant, createUser } from '../support/rest-users';
import { RestTestApp, startRestTestApp, TEST_ADMIN_PASSWORD } from '../support/rest-app';

/** A deployment's `workflows` as a parsed plan has them (a few of types.yaml's, plus a custom one). */
const WORKFLOWS = {
  install: {
    operation: 'cloudify.plugins.workflows.install',
    plugin: 'default_workflows',
    parameters: {},
    availability_rules: { node_instances_active: ['none', 'partial'] },
  },
  uninstall: {
    operation: 'cloudify.plugins.workflows.uninstall',
    plugin: 'default_workflows',
    parameters: {
      ignore_failure: { type: 'boolean', default: false },
      node_ids: { type: 'list', default: [] },
    },
    availability_rules: { node_instances_active: ['all', 'partial'] },
  },
  execute_operation: {
    operation: 'cloudify.plugins.workflows.execute_operation',
    plugin: 'default_workflows',
    parameters: {
      operation: { type: 'string' },
      operation_kwargs: { default: {} },
      run_by_dependency_order: { type: 'boolean', default: false },
      retries: { type: 'integer', default: 3 },
    },
  },
};

interface StartMessage {
  id: string;
  execution_creator: number;
  cloudify_task: {
    kwargs: Record<string, unknown> & { __cloudify_context: Record<string, unknown> };
  };
}

/**
 * Executions over real HTTP, real PostgreSQL and real RabbitMQ: start (checks, parameters,
 * availability, queueing) with the start message consumed from `cloudify.management_workflow`,
 * the status machine, cancel/kill/resume, tenants and roles.
 */
describe('executions API', () => {
  let rest: RestTestApp;
  let dataSource: DataSource;
  let f: Fixtures;
  let config: NestifyConfig;
  let bus: MessageBus;
  const received: Record<string, unknown>[] = [];
  const admin = basic('admin', TEST_ADMIN_PASSWORD);
  const http = () => request(rest.baseUrl);
  const as = (auth: string, tenant = 'default_tenant') => ({
    get: (path: string) =>
      http().get(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant),
    post: (path: string, body?: object) =>
      http().post(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant).send(body),
    patch: (path: string, body: object) =>
      http().patch(`/api/v3.1${path}`).set('Authorization', auth).set('Tenant', tenant).send(body),
  });
  const api = as(admin);

  async function waitFor<T>(find: () => T | undefined, what: string, ms = 10000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const startMessageOf = (executionId: string) =>
    waitFor(
      () => received.find((m) => m.id === executionId) as StartMessage | undefined,
      `the start message of ${executionId}`,
    );

  async function deploymentWithInstance(state = 'uninitialized'): Promise<Deployment> {
    const deployment = await f.deployment();
    await dataSource
      .getRepository(Deployment)
      .update({ storageId: deployment.storageId }, { workflows: WORKFLOWS as never });
    const node = await f.node(deployment, 'vm');
    const instance = await f.nodeInstance(node);
    await dataSource
      .getRepository(NodeInstance)
      .update({ storageId: instance.storageId }, { state });
    return deployment;
  }

  const start = (deploymentId: string, workflowId: string, extra: object = {}) =>
    api.post('/executions', {
      deployment_id: deploymentId,
      workflow_id: workflowId,
      parameters: null,
      allow_custom_parameters: 'false',
      force: 'false',
      dry_run: 'false',
      queue: 'false',
      scheduled_time: null,
      wait_after_fail: 600,
      force_status: null,
      created_by: null,
      created_at: null,
      started_at: null,
      ended_at: null,
      id: null,
      is_system_workflow: null,
      error: null,
      ...extra,
    });

  async function executionWithStatus(
    status: ExecutionStatus,
    workflowId = 'install',
  ): Promise<Execution> {
    const execution = await f.execution(await deploymentWithInstance());
    await dataSource
      .getRepository(Execution)
      .update({ storageId: execution.storageId }, { status, workflowId });
    return execution;
  }

  beforeAll(async () => {
    rest = await startRestTestApp();
    config = rest.config;
    dataSource = rest.dataSource;
    f = new Fixtures(dataSource.manager);
    bus = await createMessageBus(config.messaging);
    await bus.consume(QUEUES.workflows, async (message) => {
      received.push(message.body as Record<string, unknown>);
    });
    await createTenant(dataSource, 'tenant_b');
    await createUser(dataSource, 'vic', 'vic-pw', { default_tenant: 'viewer' });
    await createUser(dataSource, 'bob', 'bob-pw', { tenant_b: 'user' });
  });

  afterAll(async () => {
    await bus?.close();
    await rest?.close();
  });

  it('starts install: 201 pending, the start message on the workflow queue, a token that authenticates as the execution', async () => {
    const deployment = await deploymentWithInstance();
    const response = await start(deployment.id, 'install').expect(201);
    expect(response.body).toMatchObject({
      workflow_id: 'install',
      deployment_id: deployment.id,
      status: 'pending',
      status_display: 'pending',
      is_dry_run: false,
      error: '',
      parameters: {},
      tenant_name: 'default_tenant',
      created_by: 'admin',
      ended_at: null,
    });
    expect(response.body).not.toHaveProperty('token');
    const message = await startMessageOf(response.body.id);
    const context = message.cloudify_task.kwargs.__cloudify_context;
    expect(message.execution_creator).toBe(0);
    expect(context).toMatchObject({
      type: 'workflow',
      task_id: response.body.id,
      execution_id: response.body.id,
      task_name: 'cloudify.plugins.workflows.install',
      workflow_id: 'install',
      deployment_id: deployment.id,
      tenant: { name: 'default_tenant' },
      dry_run: false,
      is_system_workflow: false,
      resume: false,
      wait_after_fail: 600,
      execution_creator_username: 'admin',
      rest_port: config.port,
    });
    const token = context.execution_token as string;
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(context.rest_token).toBe(token);
    const stored = await dataSource
      .getRepository(Execution)
      .findOneByOrFail({ id: response.body.id });
    expect(stored.token).not.toBe(token);
    expect(stored.token).toHaveLength(64);
    // The workflow calls back with its token only (its tenant comes with it).
    const self = await http()
      .get(`/api/v3.1/executions/${response.body.id}`)
      .set('Execution-Token', token)
      .expect(200);
    expect(self.body.id).toBe(response.body.id);
    const started = await http()
      .patch(`/api/v3.1/executions/${response.body.id}`)
      .set('Execution-Token', token)
      .send({ status: 'started' })
      .expect(200);
    expect(started.body.started_at).not.toBeNull();
    const dep = await dataSource
      .getRepository(Deployment)
      .findOneByOrFail({ storageId: deployment.storageId });
    expect(dep).toMatchObject({
      deploymentStatus: 'in_progress',
      latestExecutionFk: stored.storageId,
    });
    const done = await api
      .patch(`/executions/${response.body.id}`, { status: 'terminated' })
      .expect(200);
    expect(done.body).toMatchObject({
      status: 'terminated',
      status_display: 'completed',
      error: '',
    });
    expect(done.body.ended_at).not.toBeNull();
    // An ended execution's token no longer works.
    await http()
      .get(`/api/v3.1/executions/${response.body.id}`)
      .set('Execution-Token', token)
      .expect(401);
  });

  it('merges parameters with the declared defaults and passes them in the message', async () => {
    const deployment = await deploymentWithInstance();
    const response = await start(deployment.id, 'execute_operation', {
      parameters: { operation: 'custom.op', retries: '5' },
      dry_run: 'true',
    }).expect(201);
    expect(response.body).toMatchObject({
      is_dry_run: true,
      parameters: {
        operation: 'custom.op',
        operation_kwargs: {},
        run_by_dependency_order: false,
        retries: 5,
      },
    });
    const message = await startMessageOf(response.body.id);
    expect(message.cloudify_task.kwargs).toMatchObject({ operation: 'custom.op', retries: 5 });
    expect(message.cloudify_task.kwargs.__cloudify_context.dry_run).toBe(true);
  });

  it.each([
    ['an unknown workflow', 'nope', {}, 'nonexistent_workflow_error'],
    [
      'an undeclared parameter',
      'install',
      { parameters: { x: 1 } },
      'illegal_execution_parameters_error',
    ],
    ['a missing required parameter', 'execute_operation', {}, 'illegal_execution_parameters_error'],
    [
      'a mistyped parameter',
      'execute_operation',
      { parameters: { operation: 'o', retries: 'many' } },
      'illegal_execution_parameters_error',
    ],
    ['a workflow its availability rules refuse', 'uninstall', {}, 'unavailable_workflow_error'],
    ['parameters that are not an object', 'install', { parameters: [1] }, 'bad_parameters_error'],
    ['a non-boolean flag', 'install', { queue: 'maybe' }, 'bad_parameters_error'],
  ])('refuses %s with 400', async (_what, workflowId, extra, code) => {
    const deployment = await deploymentWithInstance();
    const response = await start(deployment.id, workflowId, extra).expect(400);
    expect(response.body.error_code).toBe(code);
    expect(
      await dataSource.getRepository(Execution).countBy({ deploymentFk: deployment.storageId }),
    ).toBe(0);
  });

  it('lets force bypass availability, and custom parameters when allowed', async () => {
    const deployment = await deploymentWithInstance();
    const forced = await start(deployment.id, 'uninstall', { force: 'true' }).expect(201);
    expect(forced.body.parameters).toEqual({ ignore_failure: false, node_ids: [] });
    const unavailable = await start((await deploymentWithInstance()).id, 'uninstall').expect(400);
    expect(unavailable.body.message).toBe('Workflow not available: uninstall');
    const custom = await start((await deploymentWithInstance()).id, 'install', {
      parameters: { extra: 1 },
      allow_custom_parameters: 'true',
    }).expect(201);
    expect(custom.body).toMatchObject({ parameters: { extra: 1 }, allow_custom_parameters: true });
  });

  it('refuses a deployment whose environment is not created yet, and an unknown deployment', async () => {
    const deployment = await deploymentWithInstance();
    const create = await f.execution(deployment);
    await dataSource
      .getRepository(Execution)
      .update(
        { storageId: create.storageId },
        { workflowId: 'create_deployment_environment', status: ExecutionStatus.Started },
      );
    await dataSource
      .getRepository(Deployment)
      .update({ storageId: deployment.storageId }, { createExecutionFk: create.storageId });
    const pending = await start(deployment.id, 'install').expect(400);
    expect(pending.body.error_code).toBe('deployment_environment_creation_in_progress_error');
    const missing = await start('no-such-dep', 'install').expect(404);
    expect(missing.body.error_code).toBe('not_found_error');
  });

  it('queues a second execution of a deployment, and starts it when the first ends', async () => {
    const deployment = await deploymentWithInstance();
    const first = (await start(deployment.id, 'install').expect(201)).body;
    const refused = await start(deployment.id, 'install').expect(400);
    expect(refused.body.error_code).toBe('existing_running_execution_error');
    expect(refused.body.message).toContain(first.id);
    const queued = (await start(deployment.id, 'install', { queue: 'true' }).expect(201)).body;
    expect(queued.status).toBe('queued');
    // Another deployment runs in parallel.
    await start((await deploymentWithInstance()).id, 'install').expect(201);
    const shouldStart = await api.get(`/executions/${queued.id}/should-start`).expect(200);
    expect(JSON.parse(shouldStart.text)).toBe(false);
    expect(received.find((m) => m.id === queued.id)).toBeUndefined();
    await api.patch(`/executions/${first.id}`, { status: 'started' }).expect(200);
    await api.patch(`/executions/${first.id}`, { status: 'terminated' }).expect(200);
    const message = await startMessageOf(queued.id);
    expect(message.cloudify_task.kwargs.__cloudify_context.execution_id).toBe(queued.id);
    const dequeued = await api.get(`/executions/${queued.id}`).expect(200);
    expect(dequeued.body.status).toBe('pending');
  });

  it('checks status transitions (PATCH) against the state machine', async () => {
    const table: [ExecutionStatus, ExecutionStatus, number][] = [
      [ExecutionStatus.Started, ExecutionStatus.Pending, 200],
      [ExecutionStatus.Pending, ExecutionStatus.Terminated, 200],
      [ExecutionStatus.Queued, ExecutionStatus.Pending, 200],
      [ExecutionStatus.Cancelling, ExecutionStatus.Cancelled, 200],
      [ExecutionStatus.KillCancelling, ExecutionStatus.Started, 200],
      [ExecutionStatus.Terminated, ExecutionStatus.Terminated, 200],
      [ExecutionStatus.Cancelling, ExecutionStatus.Started, 400],
      [ExecutionStatus.Cancelling, ExecutionStatus.Terminated, 400],
      [ExecutionStatus.ForceCancelling, ExecutionStatus.Cancelling, 400],
      [ExecutionStatus.Terminated, ExecutionStatus.Started, 400],
      [ExecutionStatus.Failed, ExecutionStatus.Cancelled, 400],
    ];
    for (const [from, to, code] of table) {
      const execution = await executionWithStatus(from);
      const response = await api.patch(`/executions/${execution.id}`, { status: to, error: 'e' });
      expect([from, to, response.status]).toEqual([from, to, code]);
      if (code === 400) {
        expect(response.body.error_code).toBe('invalid_exception_status_update');
        expect(response.body.message).toBe(
          `Invalid relationship - can't change status from ${from} to ${to} for "${execution.id}" execution while running "install" workflow.`,
        );
      }
    }
    const execution = await executionWithStatus(ExecutionStatus.Started);
    const withError = await api
      .patch(`/executions/${execution.id}`, { status: 'pending', error: 'some-error' })
      .expect(200);
    expect(withError.body.error).toBe('some-error');
    const cleared = await api
      .patch(`/executions/${execution.id}`, { status: 'terminated' })
      .expect(200);
    expect(cleared.body.error).toBe('');
    await api.patch(`/executions/${execution.id}`, { status: 'bogus' }).expect(400);
  });

  it('cancels, force-cancels and kills by the rules, with a message to the workers', async () => {
    const started = await executionWithStatus(ExecutionStatus.Started);
    const cancelled = await api.post(`/executions/${started.id}`, { action: 'cancel' }).expect(200);
    expect(cancelled.body.status).toBe('cancelling');
    await waitFor(
      () => received.find((m) => m.execution_id === started.id && m.action === 'cancel'),
      'the cancel message',
    );
    const again = await api.post(`/executions/${started.id}`, { action: 'cancel' }).expect(400);
    expect(again.body).toMatchObject({
      error_code: 'illegal_action_error',
      message: `Can't cancel execution ${started.id} because it's in status cancelling`,
    });
    const forced = await api
      .post(`/executions/${started.id}`, { action: 'force-cancel' })
      .expect(200);
    expect(forced.body.status).toBe('force_cancelling');

    const ended = await executionWithStatus(ExecutionStatus.Terminated);
    await api.post(`/executions/${ended.id}`, { action: 'cancel' }).expect(400);
    const killed = await api.post(`/executions/${ended.id}`, { action: 'kill' }).expect(200);
    expect(killed.body.status).toBe('kill_cancelling');
    await waitFor(
      () => received.find((m) => m.execution_id === ended.id && m.action === 'kill'),
      'the kill message',
    );

    const queued = await executionWithStatus(ExecutionStatus.Queued);
    const dropped = await api.post(`/executions/${queued.id}`, { action: 'cancel' }).expect(200);
    expect(dropped.body.status).toBe('cancelled');
    expect(dropped.body.ended_at).not.toBeNull();

    const requeued = await executionWithStatus(ExecutionStatus.Pending);
    expect(
      (await api.post(`/executions/${requeued.id}`, { action: 'requeue' }).expect(200)).body.status,
    ).toBe('cancelling');
    await api.post(`/executions/${requeued.id}`, { action: 'explode' }).expect(400);
  });

  it('resumes failed executions: operations reset, pending, resume=true, dispatched again', async () => {
    const failed = await executionWithStatus(ExecutionStatus.Failed);
    const graph = await f.tasksGraph(failed);
    const op = await f.operation(graph);
    await dataSource.query(
      `UPDATE operations SET state = 'failed', parameters = '{"current_retries": 3}' WHERE _storage_id = $1`,
      [op.storageId],
    );
    const resumed = await api.post(`/executions/${failed.id}`, { action: 'resume' }).expect(200);
    expect(resumed.body).toMatchObject({ status: 'pending', resume: true, ended_at: null });
    const [row] = await dataSource.query(
      `SELECT state, parameters FROM operations WHERE _storage_id = $1`,
      [op.storageId],
    );
    expect(row).toEqual({ state: 'pending', parameters: { current_retries: 0 } });
    const message = await startMessageOf(failed.id);
    expect(message.cloudify_task.kwargs.__cloudify_context.resume).toBe(true);

    const done = await executionWithStatus(ExecutionStatus.Terminated);
    const conflict = await api.post(`/executions/${done.id}`, { action: 'resume' }).expect(409);
    expect(conflict.body.message).toBe(
      `Cannot resume execution: \`${done.id}\` in state: \`terminated\``,
    );
    await api
      .post(`/executions/${(await executionWithStatus(ExecutionStatus.Started)).id}`, {
        action: 'force-resume',
      })
      .expect(409);
  });

  it('resume resets only the latest retry of a task, not the tries it superseded', async () => {
    const failed = await executionWithStatus(ExecutionStatus.Failed);
    const graph = await f.tasksGraph(failed);
    const chain = [await f.operation(graph), await f.operation(graph), await f.operation(graph)];
    for (const [i, op] of chain.entries()) {
      const parameters = { current_retries: i, retried_task: i ? chain[i - 1].id : null };
      await dataSource.query(
        `UPDATE operations SET state = 'failed', parameters = $2 WHERE _storage_id = $1`,
        [op.storageId, parameters],
      );
    }
    await api.post(`/executions/${failed.id}`, { action: 'resume' }).expect(200);
    const rows: { id: string; state: string; retries: number }[] = await dataSource.query(
      `SELECT id, state, (parameters->>'current_retries')::int AS retries FROM operations
        WHERE _tasks_graph_fk = $1 ORDER BY _storage_id`,
      [graph.storageId],
    );
    expect(rows).toEqual([
      { id: chain[0].id, state: 'failed', retries: 0 },
      { id: chain[1].id, state: 'failed', retries: 1 },
      { id: chain[2].id, state: 'pending', retries: 0 },
    ]);
  });

  it('lists with filters, paging, sorting and hides system workflows unless asked', async () => {
    const deployment = await deploymentWithInstance();
    const a = await f.execution(deployment);
    const system = await f.execution(deployment);
    await dataSource.getRepository(Execution).update(
      { storageId: system.storageId },
      {
        isSystemWorkflow: true,
        workflowId: 'create_snapshot',
        status: ExecutionStatus.Terminated,
      },
    );
    const listed = await api.get(`/executions?deployment_id=${deployment.id}`).expect(200);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([a.id]);
    expect(listed.body.metadata).toEqual({
      pagination: { total: 1, size: 1000, offset: 0 },
      filtered: null,
    });
    const all = await api
      .get(
        `/executions?deployment_id=${deployment.id}&_include_system_workflows=True&_sort=-workflow_id&_include=id,workflow_id`,
      )
      .expect(200);
    expect(all.body.items).toEqual([
      { id: a.id, workflow_id: 'install' },
      { id: system.id, workflow_id: 'create_snapshot' },
    ]);
    const page = await api
      .get(
        `/executions?deployment_id=${deployment.id}&_include_system_workflows=true&_size=1&_offset=1`,
      )
      .expect(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.metadata.pagination).toEqual({ total: 2, size: 1, offset: 1 });
    await api.get('/executions?colour=red').expect(400);
    const one = await api.get(`/executions/${a.id}?_include=status`).expect(200);
    expect(one.body).toEqual({ status: 'pending' });
  });

  it('purges ended executions but keeps one create_deployment_environment per deployment', async () => {
    const deployment = await deploymentWithInstance();
    const create = await f.execution(deployment);
    const ended = await f.execution(deployment);
    const running = await f.execution(deployment);
    const executions = dataSource.getRepository(Execution);
    await executions.update(
      { storageId: create.storageId },
      { workflowId: 'create_deployment_environment', status: ExecutionStatus.Terminated },
    );
    await executions.update({ storageId: ended.storageId }, { status: ExecutionStatus.Failed });
    await executions.update({ storageId: running.storageId }, { status: ExecutionStatus.Started });
    const purged = await http()
      .delete(`/api/v3.1/executions?deployment_id=${deployment.id}`)
      .set('Authorization', admin)
      .set('Tenant', 'default_tenant')
      .send({})
      .expect(200);
    expect(purged.body.items).toEqual([{ count: 1 }]);
    expect(
      (await executions.findBy({ deploymentFk: deployment.storageId })).map((e) => e.id).sort(),
    ).toEqual([create.id, running.id].sort());
  });

  it('keeps tenants apart and lets a viewer read but not start', async () => {
    const deployment = await deploymentWithInstance();
    const execution = await f.execution(deployment);
    await as(basic('bob', 'bob-pw'), 'tenant_b').get(`/executions/${execution.id}`).expect(404);
    expect(
      (await as(basic('bob', 'bob-pw'), 'tenant_b').get('/executions').expect(200)).body.items,
    ).toEqual([]);
    await as(basic('bob', 'bob-pw'), 'tenant_b')
      .post('/executions', { deployment_id: deployment.id, workflow_id: 'install' })
      .expect(404);
    const vic = as(basic('vic', 'vic-pw'));
    await vic.get(`/executions/${execution.id}`).expect(200);
    const refused = await vic
      .post('/executions', { deployment_id: deployment.id, workflow_id: 'install' })
      .expect(403);
    expect(refused.body.error_code).toBe('forbidden_error');
    await vic.post(`/executions/${execution.id}`, { action: 'cancel' }).expect(403);
  });

  it('answers concurrent GETs of many callers each in its own scope (reads are batched)', async () => {
    const tenantB = await dataSource.getRepository(Tenant).findOneByOrFail({ name: 'tenant_b' });
    const bobUser = await dataSource.getRepository(User).findOneByOrFail({ username: 'bob' });
    const shared = randomUUID(); // the same id in both tenants, global in tenant_b
    const mine = await f.execution(null, DEFAULT_SCOPE, shared);
    const theirs = await f.execution(null, { tenantId: tenantB.id }, shared);
    const onlyB = await f.execution(null, { tenantId: tenantB.id });
    const privateToAdmin = await f.execution(null);
    await dataSource
      .getRepository(Execution)
      .update(
        { storageId: theirs.storageId },
        { visibility: Visibility.Global, workflowId: 'uninstall' },
      );
    await dataSource
      .getRepository(Execution)
      .update({ storageId: onlyB.storageId }, { creatorId: bobUser.id });
    await dataSource
      .getRepository(Execution)
      .update({ storageId: privateToAdmin.storageId }, { visibility: Visibility.Private });
    const callers = {
      admin: { Authorization: admin, Tenant: 'default_tenant' },
      vic: { Authorization: basic('vic', 'vic-pw'), Tenant: 'default_tenant' },
      bob: { Authorization: basic('bob', 'bob-pw'), Tenant: 'tenant_b' },
    };
    // [caller, execution id, expected status, expected workflow_id]
    const cases: Array<[keyof typeof callers, string, number, string?]> = [
      ['admin', shared, 200, 'install'], // own tenant's before another tenant's global one
      ['vic', shared, 200, 'install'],
      ['bob', shared, 200, 'uninstall'],
      ['admin', onlyB.id, 404],
      ['bob', onlyB.id, 200, 'install'],
      ['admin', privateToAdmin.id, 200, 'install'],
      ['vic', privateToAdmin.id, 404], // someone else's private execution
      ['bob', privateToAdmin.id, 404],
      ['vic', mine.id, 200, 'install'],
    ];
    const rounds = 4;
    const requests = Array.from({ length: rounds }, () => cases).flat();
    const responses = await Promise.all(
      requests.map(([caller, id]) =>
        fetch(`${rest.baseUrl}/api/v3.1/executions/${id}`, { headers: callers[caller] }),
      ),
    );
    const seen = await Promise.all(
      responses.map(async (response) => {
        const body = (await response.json()) as { workflow_id?: string; tenant_name?: string };
        return [response.status, response.status === 200 ? body.workflow_id : undefined];
      }),
    );
    expect(seen).toEqual(requests.map(([, , status, workflow]) => [status, workflow]));
  });

  it('records task graphs and operations with the execution counters, and events posted by the workflow', async () => {
    const deployment = await deploymentWithInstance();
    const started = (await start(deployment.id, 'install').expect(201)).body;
    const token = (await startMessageOf(started.id)).cloudify_task.kwargs.__cloudify_context
      .execution_token as string;
    const engine = (method: 'get' | 'post' | 'patch' | 'put', path: string) =>
      http()[method](`/api/v3.1${path}`).set('Execution-Token', token);
    const ops = [
      {
        id: 'op-1',
        name: 'cloudify.interfaces.lifecycle.create',
        type: 'RemoteWorkflowTask',
        dependencies: [],
        parameters: {
          task_kwargs: {
            kwargs: {
              __cloudify_context: {
                node_id: 'vm_x',
                operation: { name: 'cloudify.interfaces.lifecycle.create' },
              },
            },
          },
          current_retries: 0,
          total_retries: 0,
        },
      },
      {
        id: 'op-2',
        name: 'set-state',
        type: 'SetNodeInstanceStateTask',
        dependencies: ['op-1'],
        parameters: { task_kwargs: { node_instance_id: 'none', state: 'started' } },
      },
      { id: 'op-3', name: 'nop', type: 'NOPLocalWorkflowTask', dependencies: [], parameters: {} },
      {
        id: 'op-4',
        name: 'done-already',
        type: 'RemoteWorkflowTask',
        dependencies: [],
        parameters: {},
        state: 'succeeded',
      },
    ];
    const graph = await engine('post', '/tasks_graphs/tasks_graphs')
      .send({ name: 'install', execution_id: started.id, operations: ops })
      .expect(201);
    expect(graph.body).toMatchObject({
      name: 'install',
      execution_id: started.id,
      tenant_name: 'default_tenant',
    });
    let execution = (await api.get(`/executions/${started.id}`).expect(200)).body;
    expect(execution).toMatchObject({ total_operations: 3, finished_operations: 1 });
    const graphs = await engine(
      'get',
      `/tasks_graphs?execution_id=${started.id}&name=install`,
    ).expect(200);
    expect(graphs.body.items.map((g: { id: string }) => g.id)).toEqual([graph.body.id]);
    const listed = await engine('get', `/operations?graph_id=${graph.body.id}`).expect(200);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([
      'op-1',
      'op-2',
      'op-3',
      'op-4',
    ]);
    expect(
      (await engine('get', `/operations?execution_id=${started.id}&skip_internal=true`).expect(200))
        .body.items,
    ).toHaveLength(2);
    await engine('get', '/operations').expect(400);

    await engine('patch', '/operations/op-1').send({ state: 'started' }).expect(200);
    expect(
      (await engine('patch', '/operations/op-1').send({ state: 'succeeded' }).expect(200)).body,
    ).toEqual({});
    await engine('patch', '/operations/op-1').send({ state: 'succeeded' }).expect(200); // counted once
    await engine('patch', '/operations/op-3').send({ state: 'succeeded' }).expect(200); // NOP: not counted
    expect((await engine('get', '/operations/op-1').expect(200)).body).toMatchObject({
      state: 'succeeded',
      tasks_graph_id: graph.body.id,
    });
    execution = (await api.get(`/executions/${started.id}`).expect(200)).body;
    expect(execution).toMatchObject({ total_operations: 3, finished_operations: 2 });
    await engine('put', '/operations/op-5')
      .send({
        name: 'later',
        graph_id: graph.body.id,
        dependencies: [],
        type: 'RemoteWorkflowTask',
        parameters: {},
      })
      .expect(201);
    expect((await api.get(`/executions/${started.id}`).expect(200)).body.total_operations).toBe(4);
    const taskEvents = await dataSource.getRepository(Event).findBy({
      executionFk: (await dataSource.getRepository(Execution).findOneByOrFail({ id: started.id }))
        .storageId,
    });
    expect(taskEvents.map((e) => e.eventType).sort()).toEqual([
      'task_started',
      'task_succeeded',
      'task_succeeded',
    ]);

    // POST /events: the token's execution by default; GET /events returns them.
    await engine('post', '/events').send({ events: [], logs: [] }).expect(204);
    await engine('post', '/events')
      .send({
        events: [
          {
            event_type: 'workflow_started',
            message: { text: "Starting 'install' workflow execution", arguments: null },
            context: {},
            timestamp: '2026-01-01T00:00:01.000Z',
          },
          {
            event_type: 'task_failed',
            message: { text: 'boom' },
            context: {
              node_id: 'vm_x',
              task_error_causes: [{ message: 'boom', type: 'E', traceback: '' }],
            },
            operation: 'cloudify.interfaces.lifecycle.create',
            timestamp: '2026-01-01T00:00:02.000Z',
          },
        ],
        logs: [
          {
            logger: 'ctx',
            level: 'info',
            message: { text: 'hello\u0000' },
            context: { operation: 'op', node_id: 'vm_x' },
            timestamp: '2026-01-01T00:00:03.000Z',
          },
        ],
      })
      .expect(201);
    const events = await api
      .get(
        `/events?execution_id=${started.id}&_range=@timestamp,2026-01-01T00:00:00.000Z,2026-01-02T00:00:00.000Z`,
      )
      .expect(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({
        type: 'cloudify_event',
        event_type: 'workflow_started',
        timestamp: '2026-01-01T00:00:01.000Z',
        deployment_id: deployment.id,
        workflow_id: 'install',
      }),
      expect.objectContaining({
        event_type: 'task_failed',
        message: 'boom',
        error_causes: [{ message: 'boom', type: 'E', traceback: '' }],
        operation: 'cloudify.interfaces.lifecycle.create',
      }),
      expect.objectContaining({
        type: 'cloudify_log',
        logger: 'ctx',
        level: 'info',
        message: 'hello',
        operation: 'op',
      }),
    ]);
    expect(events.body.items[0].reported_timestamp).not.toBe('2026-01-01T00:00:01.000Z');
    // An admin names the execution explicitly; without one and without a token it is refused.
    await api
      .post('/events', {
        events: [{ event_type: 'x', message: { text: 'y' }, context: {} }],
        execution_id: started.id,
      })
      .expect(201);
    await api
      .post('/events', {
        logs: [{ logger: 'l', level: 'info', message: { text: 'y' }, context: {} }],
      })
      .expect(409);
  });
});
