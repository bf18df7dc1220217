import { runWorkflow } from '../run-workflow';
import { executionRequest, memoryPorts, MemoryPorts, snapshotFromBlueprint } from '../testing';
import type { DeploymentSnapshot, JsonMap, OperationRequest } from '../ports';

const BLUEPRINT = `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
plugins:
  p:
    executor: central_deployment_agent
    install: false
node_templates:
  vm:
    type: cloudify.nodes.Compute
    properties:
      agent_config: { install_method: provided }
    interfaces:
      cloudify.interfaces.cloudify_agent:
        validate_amqp: p.agent.validate
  db:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        check_drift: p.ops.drift
  app:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        check_drift: p.ops.drift
    relationships:
      - type: cloudify.relationships.contained_in
        target: vm
      - type: cloudify.relationships.connected_to
        target: db
        source_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            check_drift: p.ops.rel_drift
        target_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            check_drift: p.ops.rel_drift
`;

const contextOf = (request: OperationRequest) =>
  request.message.cloudify_task.kwargs.__cloudify_context as JsonMap & {
    node_id: string;
    operation: { name: string; relationship?: string };
  };

describe('check_drift, validate_agents and install_new_agents', () => {
  let snapshot: DeploymentSnapshot;
  let ports: MemoryPorts;
  const id = (node: string) => snapshot.instances.find((i) => i.node_id === node)?.id ?? '';

  beforeEach(async () => {
    snapshot = await snapshotFromBlueprint(BLUEPRINT);
    for (const instance of snapshot.instances) instance.state = 'started';
    ports = memoryPorts(snapshot);
  });

  it('check_drift records each answer as configuration drift, relationships under the other end', async () => {
    ports.dispatcher.responder = (request) => {
      const ctx = contextOf(request);
      // The app drifted; the db did not; the relationship drifted on the target side only.
      if (ctx.operation.relationship === 'target') return { ok: true, result: 'port changed' };
      if (ctx.operation.relationship) return { ok: true, result: null };
      return { ok: true, result: ctx.node_id === id('app') ? { replicas: 3 } : null };
    };
    const outcome = await runWorkflow(executionRequest('check_drift'), ports);
    expect(outcome).toEqual({ status: 'terminated' });
    const system = (node: string) => ports.deployments.instance(id(node)).system_properties;
    expect(system('app').configuration_drift).toMatchObject({ ok: true, result: { replicas: 3 } });
    expect(system('db').configuration_drift).toMatchObject({ ok: true, result: null });
    expect(system('app').source_relationships_configuration_drift).toMatchObject({
      [id('db')]: { ok: true, result: null },
    });
    expect(system('db').target_relationships_configuration_drift).toMatchObject({
      [id('app')]: { ok: true, result: 'port changed' },
    });
    // Targets first: the db's check ran before the app's.
    const order = ports.dispatcher.requests.map((r) => contextOf(r).node_id);
    expect(order.indexOf(id('db'))).toBeLessThan(order.indexOf(id('app')));
  });

  it('check_drift fails when a check fails, recording the error', async () => {
    ports.dispatcher.responder = () => ({
      ok: false,
      error: {
        exception_type: 'NonRecoverableError',
        known_exception_type: 'NonRecoverableError',
        message: 'cannot tell',
      },
    });
    const outcome = await runWorkflow(executionRequest('check_drift', { node_ids: ['db'] }), ports);
    expect(outcome.status).toBe('failed');
    expect(
      ports.deployments.instance(id('db')).system_properties.configuration_drift,
    ).toMatchObject({ ok: false, result: 'cannot tell' });
  });

  it('validate_agents asks each started host agent over AMQP; a host not started is an error', async () => {
    ports.dispatcher.responder = () => ({ ok: true, result: { agent_alive: true } });
    expect(await runWorkflow(executionRequest('validate_agents'), ports)).toEqual({
      status: 'terminated',
    });
    const sent = ports.dispatcher.requests.map((r) => ({
      node: contextOf(r).node_id,
      op: contextOf(r).operation.name,
      current: r.message.cloudify_task.kwargs.current_amqp,
    }));
    expect(sent).toEqual([
      { node: id('vm'), op: 'cloudify.interfaces.cloudify_agent.validate_amqp', current: true },
    ]);

    ports = memoryPorts({
      ...snapshot,
      instances: snapshot.instances.map((i) => ({
        ...i,
        state: i.node_id === 'vm' ? 'stopped' : i.state,
      })),
    });
    const refused = await runWorkflow(executionRequest('validate_agents'), ports);
    expect(refused.status).toBe('failed');
    expect(refused.error).toContain(`${id('vm')} (stopped)`);
  });

  it('install_new_agents validates the old agents first, then installs for the chosen methods only', async () => {
    ports.dispatcher.responder = () => ({ ok: true, result: null });
    // The host's agent is `provided`: not one the manager installs, so nothing to do by default.
    expect(await runWorkflow(executionRequest('install_new_agents'), ports)).toEqual({
      status: 'terminated',
    });
    expect(ports.dispatcher.requests).toHaveLength(0);
    ports = memoryPorts(snapshot);
    ports.dispatcher.responder = () => ({ ok: true, result: null });
    await runWorkflow(
      executionRequest('install_new_agents', { install_methods: ['provided'], install: false }),
      ports,
    );
    expect(
      ports.dispatcher.requests.map((r) => r.message.cloudify_task.kwargs.current_amqp),
    ).toEqual([false]);
  });
});
