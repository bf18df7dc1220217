import { runWorkflow } from '../run-workflow';
import {
  APP_DB_BLUEPRINT,
  executionRequest,
  memoryPorts,
  MemoryPorts,
  snapshotFromBlueprint,
  succeedAll,
} from '../testing';
import type { DeploymentSnapshot } from '../ports';

function idOf(snapshot: DeploymentSnapshot, node: string): string {
  const instance = snapshot.instances.find((i) => i.node_id === node);
  if (!instance) throw new Error(node);
  return instance.id;
}

describe('install and uninstall on a contained_in + connected_to blueprint', () => {
  let snapshot: DeploymentSnapshot;
  let ports: MemoryPorts;
  let host: string, db: string, app: string;

  beforeEach(async () => {
    snapshot = await snapshotFromBlueprint(APP_DB_BLUEPRINT);
    ports = memoryPorts(snapshot);
    ports.dispatcher.responder = succeedAll;
    [host, db, app] = ['host', 'db', 'app'].map((n) => idOf(snapshot, n));
  });

  it('installs targets before sources, relationship ops on both sides, every instance started', async () => {
    const outcome = await runWorkflow(executionRequest('install'), ports);
    expect(outcome).toEqual({ status: 'terminated' });
    const sent = ports.dispatcher.sent();
    const at = (entry: string) => {
      const index = sent.indexOf(entry);
      expect(index).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(at(`${db}:cloudify.interfaces.lifecycle.start`)).toBeLessThan(
      at(`${app}:cloudify.interfaces.lifecycle.create`),
    );
    // source op on the app, target op on the db, both after app create and before app configure
    const pre = 'cloudify.interfaces.relationship_lifecycle.preconfigure';
    expect(at(`${app}:${pre}`)).toBeGreaterThan(at(`${app}:cloudify.interfaces.lifecycle.create`));
    expect(at(`${db}:${pre}`)).toBeLessThan(at(`${app}:cloudify.interfaces.lifecycle.configure`));
    const target =
      ports.dispatcher.requests[at(`${db}:${pre}`)].message.cloudify_task.kwargs.__cloudify_context;
    expect(target).toMatchObject({
      node_id: db,
      related: { node_id: app, is_target: false },
      operation: { relationship: 'target' },
    });
    for (const id of [host, db, app]) expect(ports.deployments.instance(id).state).toBe('started');
    expect(ports.deployments.instance(app).system_properties.status).toMatchObject({ ok: true });
    const states = ports.deployments.history
      .filter((h) => h.instanceId === app)
      .map((h) => h.patch.state);
    expect(states).toEqual([
      'initializing',
      'creating',
      'created',
      'configuring',
      'configured',
      'starting',
      'started',
    ]);
  });

  it('sends an operation only once the states queued for its instances are stored', async () => {
    // A store that takes a while per write: set-state tasks do not wait for it, operations must.
    const store = ports.deployments;
    const write = store.updateInstance.bind(store);
    store.updateInstance = (id, patch) =>
      new Promise((resolve) => setTimeout(() => resolve(write(id, patch)), 5));
    const seen: Array<[string, string]> = [];
    ports.dispatcher.responder = (request) => {
      const ctx = request.message.cloudify_task.kwargs.__cloudify_context as {
        node_id: string;
        operation: { name: string };
      };
      seen.push([ctx.operation.name, store.instance(ctx.node_id).state]);
      return { ok: true, result: null };
    };
    expect(await runWorkflow(executionRequest('install'), ports)).toEqual({ status: 'terminated' });
    const stateWhenSent = Object.fromEntries(seen.map(([op, state]) => [op, state]));
    expect(stateWhenSent).toMatchObject({
      'cloudify.interfaces.lifecycle.create': 'creating',
      'cloudify.interfaces.lifecycle.configure': 'configuring',
      'cloudify.interfaces.lifecycle.start': 'starting',
    });
    // The run ends with every queued write stored.
    for (const id of [host, db, app]) expect(store.instance(id).state).toBe('started');
  });

  it('sends the operation message of §3.2 with merged inputs', async () => {
    await runWorkflow(executionRequest('install'), ports);
    const request = ports.dispatcher.requests.find(
      (r) => r.message.cloudify_task.kwargs.port === 8080,
    );
    expect(request?.target).toBe('cloudify.management');
    expect(request?.message.cloudify_task.kwargs.__cloudify_context).toMatchObject({
      __cloudify_context: '0.3',
      type: 'operation',
      task_name: 'ops.app_create',
      node_id: app,
      node_name: 'app',
      execution_id: 'exec-1',
      workflow_id: 'install',
      tenant: { name: 'default_tenant' },
      plugin: { name: 'p' },
      operation: { name: 'cloudify.interfaces.lifecycle.create', retry_number: 0, max_retries: 60 },
      executor: 'central_deployment_agent',
      task_target: 'cloudify.management',
      execution_token: 'tok',
    });
    expect(request?.message.id).toBe(
      request?.message.cloudify_task.kwargs.__cloudify_context.task_id,
    );
  });

  it('emits workflow and node events, sending and succeeded task events, and stores the graph', async () => {
    await runWorkflow(executionRequest('install'), ports);
    expect(ports.events.texts('workflow_started')).toEqual([
      "Starting 'install' workflow execution",
    ]);
    expect(ports.events.texts('workflow_succeeded')).toEqual([
      "'install' workflow execution succeeded",
    ]);
    expect(ports.events.texts('workflow_node_event')).toContain('Creating node instance');
    expect(ports.events.texts('sending_task')).toContain("Sending task 'ops.app_create'");
    expect(ports.events.texts('task_succeeded')).toContain("Task succeeded 'ops.app_create'");
    const ids = new Set(ports.events.items.map((e) => e.message_id));
    expect(ids.size).toBe(ports.events.items.length);
    expect(ports.graphs.graphs.map((g) => g.name)).toEqual(['install']);
    expect(ports.execution.statuses.map((s) => s.status)).toEqual(['started', 'terminated']);
  });

  it('uninstalls sources before targets, unlinking on both sides', async () => {
    await runWorkflow(executionRequest('install'), ports);
    ports.dispatcher.requests.length = 0;
    const outcome = await runWorkflow(
      executionRequest('uninstall', {}, { execution_id: 'exec-2' }),
      ports,
    );
    expect(outcome.status).toBe('terminated');
    const sent = ports.dispatcher.sent();
    const unlink = 'cloudify.interfaces.relationship_lifecycle.unlink';
    expect(sent.indexOf(`${app}:cloudify.interfaces.lifecycle.delete`)).toBeLessThan(
      sent.indexOf(`${db}:cloudify.interfaces.lifecycle.stop`),
    );
    expect(sent.indexOf(`${app}:${unlink}`)).toBeGreaterThanOrEqual(0);
    expect(sent.indexOf(`${db}:${unlink}`)).toBeGreaterThanOrEqual(0);
    expect(sent.indexOf(`${app}:${unlink}`)).toBeLessThan(
      sent.indexOf(`${app}:cloudify.interfaces.lifecycle.delete`),
    );
    for (const id of [host, db, app]) expect(ports.deployments.instance(id).state).toBe('deleted');
  });

  it('dry run sends nothing, writes no state, stores no graph, marks events', async () => {
    const outcome = await runWorkflow(executionRequest('install', {}, { dry_run: true }), ports);
    expect(outcome.status).toBe('terminated');
    expect(ports.dispatcher.requests).toHaveLength(0);
    expect(ports.deployments.history).toHaveLength(0);
    expect(ports.graphs.graphs).toHaveLength(0);
    expect(ports.events.texts('workflow_started')).toEqual([
      "Starting 'install' workflow execution (dry run)",
    ]);
    expect(ports.events.texts('task_succeeded')).toContain(
      "Task succeeded 'ops.app_create' (dry run)",
    );
    expect(ports.events.texts('workflow_node_event')).toContain('Creating node instance');
  });

  it('install with node_ids only installs the selected node, keeping intact ones as stubs', async () => {
    await runWorkflow(executionRequest('install', { node_ids: ['db'] }), ports);
    const sent = ports.dispatcher.sent();
    expect(sent.every((entry) => entry.startsWith(db))).toBe(true);
    expect(ports.deployments.instance(db).state).toBe('started');
    expect(ports.deployments.instance(app).state).toBe('uninitialized');
  });
});
