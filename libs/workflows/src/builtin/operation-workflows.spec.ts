import { runWorkflow } from '../run-workflow';
import {
  APP_DB_BLUEPRINT,
  errorReply,
  executionRequest,
  memoryPorts,
  MemoryPorts,
  snapshotFromBlueprint,
  succeedAll,
} from '../testing';
import type { DeploymentSnapshot, JsonMap, OperationRequest } from '../ports';

const ctxOf = (r: OperationRequest) =>
  r.message.cloudify_task.kwargs.__cloudify_context as JsonMap & {
    operation: { name: string };
    node_id: string;
  };

describe('execute_operation, heal and scale', () => {
  let snapshot: DeploymentSnapshot;
  let ports: MemoryPorts;
  const id = (node: string) => snapshot.instances.find((i) => i.node_id === node)?.id ?? '';

  beforeEach(async () => {
    snapshot = await snapshotFromBlueprint(APP_DB_BLUEPRINT);
    ports = memoryPorts(snapshot);
    ports.dispatcher.responder = succeedAll;
  });

  it('execute_operation runs only on selected instances that have the operation, with kwargs', async () => {
    const outcome = await runWorkflow(
      executionRequest('execute_operation', {
        operation: 'cloudify.interfaces.lifecycle.create',
        operation_kwargs: { extra: 1 },
        node_ids: ['app', 'host'],
      }),
      ports,
    );
    expect(outcome.status).toBe('terminated');
    expect(ports.dispatcher.requests).toHaveLength(1);
    expect(ctxOf(ports.dispatcher.requests[0]).node_id).toBe(id('app'));
    expect(ports.dispatcher.requests[0].message.cloudify_task.kwargs).toMatchObject({
      extra: 1,
      port: 8080,
    });
    expect(ports.events.texts('workflow_node_event')).toEqual([
      'Starting operation cloudify.interfaces.lifecycle.create (Operation parameters: {"extra":1})',
      'Finished operation cloudify.interfaces.lifecycle.create',
    ]);
    expect(ports.graphs.graphs[0].name).toBe(
      'execute_operation_cloudify.interfaces.lifecycle.create',
    );
  });

  it('execute_operation refuses a kwarg clashing with an input unless overriding is allowed', async () => {
    const params = {
      operation: 'cloudify.interfaces.lifecycle.create',
      operation_kwargs: { port: 1 },
      node_ids: ['app'],
    };
    const refused = await runWorkflow(executionRequest('execute_operation', params), ports);
    expect(refused.error).toContain(
      'Duplicate definition of port in operation properties and in kwargs',
    );
    const allowed = await runWorkflow(
      executionRequest(
        'execute_operation',
        { ...params, allow_kwargs_override: true },
        { execution_id: 'e2' },
      ),
      ports,
    );
    expect(allowed.status).toBe('terminated');
    expect(ports.dispatcher.requests[0].message.cloudify_task.kwargs.port).toBe(1);
  });

  it('stop with run_by_dependency_order runs targets first', async () => {
    await runWorkflow(executionRequest('stop'), ports);
    const order = ports.dispatcher.requests.map((r) => ctxOf(r).node_id);
    expect(order.indexOf(id('db'))).toBeLessThan(order.indexOf(id('app')));
  });

  it('heal reinstalls an unhealthy instance without a heal operation; instances beside it stay intact', async () => {
    await runWorkflow(executionRequest('install'), ports);
    ports.dispatcher.requests.length = 0;
    // as a failed status check leaves it
    ports.deployments.instance(id('db')).system_properties.status = {
      ok: false,
      task: 'check',
      result: 'down',
    };
    const outcome = await runWorkflow(
      executionRequest(
        'heal',
        { node_instance_id: id('db'), check_status: false },
        { execution_id: 'exec-heal' },
      ),
      ports,
    );
    expect(outcome.status).toBe('terminated');
    const names = ports.graphs.graphs
      .filter((g) => g.execution_id === 'exec-heal')
      .map((g) => g.name);
    expect(names).toEqual(['reinstall-uninstall', 'reinstall-install']);
    const ops = ports.dispatcher.requests.map(
      (r) => `${ctxOf(r).node_id}:${ctxOf(r).operation.name}`,
    );
    expect(ops).not.toContain(`${id('app')}:cloudify.interfaces.lifecycle.delete`);
    expect(ops).toContain(`${id('app')}:cloudify.interfaces.relationship_lifecycle.unlink`);
    expect(ops).toContain(`${id('db')}:cloudify.interfaces.lifecycle.delete`);
    expect(ops).toContain(`${id('db')}:cloudify.interfaces.lifecycle.create`);
    expect(ports.deployments.instance(id('db')).state).toBe('started');
    expect(ports.deployments.instance(id('db')).system_properties.status).toMatchObject({
      ok: true,
    });
  });

  it('scale +2 installs two new instances through the modification port and finishes it', async () => {
    await runWorkflow(executionRequest('install'), ports);
    ports.dispatcher.requests.length = 0;
    const outcome = await runWorkflow(
      executionRequest(
        'scale',
        { scalable_entity_name: 'host', delta: 2 },
        { execution_id: 'exec-scale' },
      ),
      ports,
    );
    expect(outcome.status).toBe('terminated');
    const modification = ports.deployments.modifications[0];
    expect(modification.modified_nodes).toMatchObject({ host: { instances: 3 } });
    expect(modification.status).toBe('finished');
    const hosts = ports.deployments.all().filter((i) => i.node_id === 'host');
    expect(hosts).toHaveLength(3);
    expect(ports.deployments.all().every((i) => i.state === 'started')).toBe(true);
    const created = new Set(
      ports.dispatcher.requests
        .filter((r) => ctxOf(r).operation.name.endsWith('.create'))
        .map((r) => ctxOf(r).node_id),
    );
    expect(created.size).toBe(4);
    expect(ports.graphs.graphs.at(-1)?.name).toBe('host_install');
  });

  it('scale -2 uninstalls the removed instances; a failed scale-out is rolled back', async () => {
    await runWorkflow(executionRequest('install'), ports);
    await runWorkflow(
      executionRequest('scale', { scalable_entity_name: 'host', delta: 2 }, { execution_id: 's1' }),
      ports,
    );
    const down = await runWorkflow(
      executionRequest(
        'scale',
        { scalable_entity_name: 'host', delta: -2 },
        { execution_id: 's2' },
      ),
      ports,
    );
    expect(down.status).toBe('terminated');
    expect(ports.deployments.all().filter((i) => i.node_id === 'host')).toHaveLength(1);
    expect(ports.graphs.graphs.at(-1)?.name).toBe('host_uninstall');

    ports.dispatcher.responder = (r) =>
      ctxOf(r).operation.name === 'cloudify.interfaces.lifecycle.start'
        ? errorReply('NonRecoverableError', 'no')
        : succeedAll(r);
    const failed = await runWorkflow(
      executionRequest('scale', { scalable_entity_name: 'host', delta: 1 }, { execution_id: 's3' }),
      ports,
    );
    expect(failed.status).toBe('failed');
    expect(ports.deployments.modifications.at(-1)?.status).toBe('rolledback');
    expect(ports.graphs.graphs.at(-1)?.name).toBe('host_rollback');
    expect(ports.deployments.all()).toHaveLength(3);
  });
});
