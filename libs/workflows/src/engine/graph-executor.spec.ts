import { runWorkflow } from '../run-workflow';
import {
  APP_DB_BLUEPRINT,
  errorReply,
  executionRequest,
  memoryPorts,
  MemoryPorts,
  snapshotFromBlueprint,
  snapshotFromPlan,
  succeedAll,
} from '../testing';
import type { DeploymentSnapshot, JsonMap, OperationRequest } from '../ports';
import { parseBlueprint, prepareDeploymentPlan } from '@nestify/dsl';

const opOf = (r: OperationRequest) =>
  (r.message.cloudify_task.kwargs.__cloudify_context as JsonMap & { operation: { name: string } })
    .operation.name;
const nodeOf = (r: OperationRequest) =>
  String(r.message.cloudify_task.kwargs.__cloudify_context.node_id);

describe('graph executor', () => {
  let snapshot: DeploymentSnapshot;
  let ports: MemoryPorts;
  let app: string;

  beforeEach(async () => {
    snapshot = await snapshotFromBlueprint(APP_DB_BLUEPRINT);
    ports = memoryPorts(snapshot);
    ports.dispatcher.responder = succeedAll;
    app = snapshot.instances.find((i) => i.node_id === 'app')?.id ?? '';
  });

  it('retries a recoverable failure as a new task and reports [retry n/m]', async () => {
    let failures = 0;
    ports.dispatcher.responder = (r) => {
      if (opOf(r) === 'cloudify.interfaces.lifecycle.configure' && failures < 2) {
        failures++;
        return errorReply('RecoverableError', 'boom');
      }
      return succeedAll(r);
    };
    const outcome = await runWorkflow(executionRequest('install'), ports);
    expect(outcome.status).toBe('terminated');
    expect(ports.events.texts('task_failed')).toEqual([
      "Task failed 'ops.app_configure' -> boom",
      "Task failed 'ops.app_configure' -> boom [retry 1/60]",
    ]);
    expect(ports.events.texts('task_succeeded')).toContain(
      "Task succeeded 'ops.app_configure' [retry 2/60]",
    );
    const configures = ports.dispatcher.requests.filter(
      (r) => opOf(r) === 'cloudify.interfaces.lifecycle.configure',
    );
    expect(
      configures.map(
        (r) =>
          (r.message.cloudify_task.kwargs.__cloudify_context.operation as JsonMap).retry_number,
      ),
    ).toEqual([0, 1, 2]);
    expect(new Set(configures.map((r) => r.message.id)).size).toBe(3);
    const stored = ports.graphs.graphs[0].operations.filter(
      (op) => op.name === 'ops.app_configure',
    );
    expect(stored.map((op) => op.state)).toEqual(['failed', 'failed', 'succeeded']);
    expect(stored[1].parameters.retried_task).toBe(stored[0].id);
    expect(failures).toBe(2);
  });

  it('reschedules on OperationRetry and stops retrying at max_retries', async () => {
    ports.settings.task_retries = 1;
    ports.dispatcher.responder = (r) =>
      opOf(r) === 'cloudify.interfaces.lifecycle.start' && nodeOf(r) === app
        ? errorReply('OperationRetry', 'not yet', 0)
        : succeedAll(r);
    const outcome = await runWorkflow(executionRequest('install'), ports);
    expect(outcome.status).toBe('failed');
    expect(ports.events.texts('task_rescheduled')).toEqual([
      "Task rescheduled 'ops.app_start' -> not yet",
      "Task rescheduled 'ops.app_start' -> not yet [retry 1/1]",
    ]);
  });

  it('fails the execution on a NonRecoverableError with the §3.6 message, without retrying', async () => {
    ports.dispatcher.responder = (r) =>
      opOf(r) === 'cloudify.interfaces.lifecycle.create' && nodeOf(r) === app
        ? errorReply('NonRecoverableError', 'bad input')
        : succeedAll(r);
    const outcome = await runWorkflow(executionRequest('install'), ports);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe(
      `Task failed: ops.app_create (${app}:cloudify.interfaces.lifecycle.create): NonRecoverableError \`bad input\`\n` +
        `Traceback of ops.app_create (${app}:cloudify.interfaces.lifecycle.create) (most recent call last):\n` +
        '  File "op.py", line 1\nNonRecoverableError: bad input',
    );
    expect(
      ports.dispatcher.requests.filter((r) => nodeOf(r) === app && opOf(r).endsWith('create')),
    ).toHaveLength(1);
    expect(ports.execution.statuses.at(-1)).toEqual({ status: 'failed', error: outcome.error });
    expect(ports.events.texts('workflow_failed')[0]).toMatch(
      /^'install' workflow execution failed: Task failed:/,
    );
    expect(ports.deployments.instance(app).state).toBe('creating');
  });

  it('fails a host_agent operation whose host has no agent with the spec text', async () => {
    const text = APP_DB_BLUEPRINT.replace(
      'executor: central_deployment_agent',
      'executor: host_agent',
    );
    const snap = await snapshotFromBlueprint(text);
    const p = memoryPorts(snap);
    const host = snap.instances.find((i) => i.node_id === 'host')?.id;
    const outcome = await runWorkflow(executionRequest('install'), p);
    expect(outcome.error).toContain(
      `NonRecoverableError \`${host}: missing cloudify_agent.queue runtime information. This most likely means that the Compute node was never started successfully\``,
    );
  });

  it('routes host_agent operations to the agent queue of the host', async () => {
    const text = APP_DB_BLUEPRINT.replace(
      'executor: central_deployment_agent',
      'executor: host_agent',
    );
    const snap = await snapshotFromBlueprint(text);
    const host = snap.instances.find((i) => i.node_id === 'host');
    if (host)
      host.runtime_properties = { cloudify_agent: { queue: 'host_agent_q', name: 'host_agent_q' } };
    const p = memoryPorts(snap);
    expect((await runWorkflow(executionRequest('install'), p)).status).toBe('terminated');
    expect(p.dispatcher.requests.every((r) => r.target === 'host_agent_q' && r.hostAgent)).toBe(
      true,
    );
    expect(
      p.dispatcher.requests[0].message.cloudify_task.kwargs.__cloudify_context.task_target,
    ).toBe('host_agent_q');
  });

  it('cancel stops scheduling, ignores the late reply and reports cancelled', async () => {
    let release: () => void = () => undefined;
    ports.dispatcher.responder = async (r) => {
      if (opOf(r) === 'cloudify.interfaces.lifecycle.start' && nodeOf(r) !== app) {
        ports.cancellation.cancel();
        await new Promise<void>((resolve) => (release = resolve));
      }
      return succeedAll(r);
    };
    const run = runWorkflow(executionRequest('install'), ports);
    const outcome = await run;
    release();
    expect(outcome.status).toBe('cancelled');
    expect(ports.events.texts('workflow_cancelled')).toEqual([
      "'install' workflow execution cancelled",
    ]);
    expect(ports.dispatcher.requests.some((r) => nodeOf(r) === app)).toBe(false);
    expect(ports.execution.last).toBe('cancelled');
  });

  it('reports cancelled when the started transition is refused', async () => {
    ports.execution.refuse.add('started');
    const outcome = await runWorkflow(executionRequest('install'), ports);
    expect(outcome.status).toBe('cancelled');
    expect(ports.dispatcher.requests).toHaveLength(0);
  });

  it('resumes a failed install running only the unfinished tasks', async () => {
    ports.dispatcher.responder = (r) =>
      opOf(r) === 'cloudify.interfaces.lifecycle.configure'
        ? errorReply('NonRecoverableError', 'broken')
        : succeedAll(r);
    expect((await runWorkflow(executionRequest('install'), ports)).status).toBe('failed');
    const before = ports.dispatcher.requests.length;
    ports.graphs.resetForResume('exec-1');
    ports.dispatcher.responder = succeedAll;
    const outcome = await runWorkflow(executionRequest('install', {}, { resume: true }), ports);
    expect(outcome.status).toBe('terminated');
    const resent = ports.dispatcher.requests.slice(before).map((r) => `${nodeOf(r)}:${opOf(r)}`);
    expect(resent).toEqual([
      `${app}:cloudify.interfaces.lifecycle.configure`,
      `${app}:cloudify.interfaces.lifecycle.start`,
    ]);
    expect(ports.events.texts('workflow_started').at(-1)).toBe(
      "Resuming 'install' workflow execution",
    );
    expect(ports.deployments.instance(app).state).toBe('started');
  });

  it('refuses to resume a workflow that is not resumable', async () => {
    const outcome = await runWorkflow(executionRequest('heal', {}, { resume: true }), ports);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain(
      'Cannot resume - workflow not resumable: cloudify.plugins.workflows.auto_heal_reinstall_node_subgraph',
    );
  });

  it('hands events and task states to the ports in batches, each stream in order', async () => {
    const publishCalls: number[] = [];
    const publish = ports.events.publish.bind(ports.events);
    ports.events.publish = (items) => {
      publishCalls.push(items.length);
      publish(items);
    };
    const stateCalls: number[] = [];
    const record = ports.graphs.recordStates.bind(ports.graphs);
    ports.graphs.recordStates = (changes) => {
      stateCalls.push(changes.length);
      record(changes);
    };
    expect((await runWorkflow(executionRequest('install'), ports)).status).toBe('terminated');
    const changes = ports.graphs.changes.length;
    expect(stateCalls.length).toBeLessThan(changes / 2);
    expect(publishCalls.length).toBeLessThan(ports.events.items.length / 2);
    const nodeEvents = ports.events
      .events('workflow_node_event')
      .filter((e) => e.context.node_id === app)
      .map((e) => e.message.text);
    expect(nodeEvents).toEqual([
      'Validating node instance before creation: nothing to do',
      'Precreating node instance: nothing to do',
      'Creating node instance',
      'Node instance created',
      'Pre-configuring relationships',
      'Relationships pre-configured',
      'Configuring node instance',
      'Node instance configured',
      'Starting node instance',
      'Poststarting node instance: nothing to do',
      'Node instance started',
    ]);
    const create = ports.graphs.graphs[0].operations.find((op) => op.name === 'ops.app_create');
    expect(ports.graphs.changes.filter((c) => c.id === create?.id).map((c) => c.state)).toEqual([
      'sending',
      'sent',
      'succeeded',
    ]);
  });

  it('publishes what the engine buffered before what a failure handler publishes', async () => {
    await runWorkflow(executionRequest('install'), ports);
    ports.dispatcher.responder = (r) =>
      opOf(r) === 'cloudify.interfaces.lifecycle.stop' && nodeOf(r) === app
        ? errorReply('NonRecoverableError', 'stuck')
        : succeedAll(r);
    const before = ports.events.items.length;
    const outcome = await runWorkflow(
      executionRequest('uninstall', { ignore_failure: true }, { execution_id: 'exec-2' }),
      ports,
    );
    expect(outcome.status).toBe('terminated');
    const texts = ports.events.items.slice(before).map((e) => e.message.text);
    const failed = texts.indexOf("Task failed 'ops.app_stop' -> stuck");
    const ignoring = texts.indexOf('Ignoring task ops.app_stop failure');
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(ignoring).toBeGreaterThan(failed);
    expect(ports.deployments.instance(app).state).toBe('deleted');
  });

  it('bounds operations in flight by max_concurrent_tasks', async () => {
    ports.settings.max_concurrent_tasks = 1;
    let inFlight = 0;
    let peak = 0;
    ports.dispatcher.responder = async (r) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return succeedAll(r);
    };
    expect((await runWorkflow(executionRequest('install'), ports)).status).toBe('terminated');
    expect(peak).toBe(1);
  });

  // ~98,000 tasks before optimisation (every node event and state change is a task, and all are
  // stored). runWorkflow takes ~1.3 s here on a quiet 2-core machine (see bench/engine.bench.ts);
  // the bound leaves room for a busy one and catches any step that grows faster than linearly.
  /** Installs hosts × (host, app, web) instances in memory; the wall time and the ports. */
  async function timedInstall(hosts: number) {
    const text = `
tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
plugins: { p: { executor: central_deployment_agent, install: false } }
node_templates:
  host:
    type: cloudify.nodes.Compute
    properties: { agent_config: { install_method: none } }
    capabilities: { scalable: { properties: { default_instances: ${hosts} } } }
  app:
    type: cloudify.nodes.Root
    relationships: [{ type: cloudify.relationships.contained_in, target: host }]
    interfaces: { cloudify.interfaces.lifecycle: { create: p.a.create, configure: p.a.configure, start: p.a.start } }
  web:
    type: cloudify.nodes.Root
    relationships: [{ type: cloudify.relationships.contained_in, target: app }]
    interfaces: { cloudify.interfaces.lifecycle: { create: p.a.create, start: p.a.start } }
`;
    const plan = await parseBlueprint(text, '/tmp/nestify-scale/blueprint.yaml', {
      resourceExists: () => false,
    });
    const snap = snapshotFromPlan(prepareDeploymentPlan(plan, {}));
    expect(snap.instances).toHaveLength(hosts * 3);
    const p = memoryPorts(snap, { max_concurrent_tasks: 100 });
    const started = Date.now();
    const outcome = await runWorkflow(executionRequest('install'), p);
    const elapsed = Date.now() - started;
    expect(outcome.status).toBe('terminated');
    expect(p.dispatcher.requests).toHaveLength(hosts * 3 + hosts * 2);
    return { elapsed, ports: p };
  }

  // Growth rather than a wall-clock budget (a busy machine would make that flaky): four times
  // the instances must cost about four times as long, far below the sixteen of quadratic work.
  it('grows linearly with the number of instances (1,500 to 6,000)', async () => {
    await timedInstall(200); // warm-up: the hot paths compiled first
    const small = await timedInstall(500);
    const large = await timedInstall(2000);
    expect(large.ports.graphs.graphs[0].operations.length).toBeGreaterThan(40000);
    expect(large.elapsed).toBeLessThan(9 * small.elapsed + 500);
  });
});
