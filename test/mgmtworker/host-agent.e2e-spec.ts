import { defaultPluginRegistry, OperationWorker } from '@nestify/agent';
import { createMessageBus } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { requireRealPostgres } from '../support/database';
import { requireRealRabbit } from '../support/rabbitmq';
import { ManagerHarness } from './manager-harness';
import { eventually } from './support';

const ready = requireRealPostgres() && requireRealRabbit();

/**
 * A compute node whose agent the user starts (`install_method: provided`): install records the
 * agent, pings it before its first task (failing recoverably while it is down) and runs the
 * app's host_agent operation on it; validate_agents reaches it; uninstall retires it.
 */
const BLUEPRINT = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
node_templates:
  vm:
    type: cloudify.nodes.Compute
    properties:
      ip: 127.0.0.1
      agent_config: { install_method: provided }
  app:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/where.sh
          executor: host_agent
          max_retries: 20
          retry_interval: 1
    relationships:
      - { type: cloudify.relationships.contained_in, target: vm }
`;

const WHERE_SH = `#!/bin/bash
set -e
ctx instance runtime-properties ran_on "$(ctx task-target)"
`;

(ready ? describe : describe.skip)('host agents (install_method provided)', () => {
  const manager = new ManagerHarness();
  let agentBus: MessageBus | undefined;
  let agent: OperationWorker | undefined;

  beforeAll(() => manager.start({ env: { AGENT_PING_TIMEOUT_MS: '300' } }), 60000);
  afterAll(async () => {
    await agent?.stop();
    await agentBus?.close();
    await manager.close();
  });

  it('records the agent, waits for it to answer and runs host_agent operations on it', async () => {
    await manager.uploadBlueprint('hosted', [
      { name: 'bp/', kind: 'dir' },
      { name: 'bp/blueprint.yaml', body: BLUEPRINT },
      { name: 'bp/scripts/where.sh', body: WHERE_SH },
    ]);
    await manager.createDeployment('hosted', 'hosted');
    const vm = (await manager.instances('hosted')).find((i) => i.node_id === 'vm');
    if (!vm) throw new Error('no vm instance');
    const executionId = await manager.startExecution('hosted', 'install');

    // The agent is not running yet: the app's operation fails recoverably and is retried.
    await eventually(
      'a task failed waiting for the agent',
      async () => {
        const response = await manager.http('get', `events?execution_id=${executionId}`);
        const items = response.body.items as Array<{ message: string }>;
        return items.some((e) => e.message.includes(`Timed out waiting for agent: ${vm.id}`))
          ? true
          : undefined;
      },
      30000,
    );
    const recorded = await manager.http('get', `agents/${vm.id}`).expect(200);
    expect(recorded.body).toMatchObject({
      name: vm.id,
      install_method: 'provided',
      node_instance_id: vm.id,
      state: 'created',
      deployment: 'hosted',
    });

    // What `nestify agent start --name <vm id>` runs on the host.
    agentBus = await createMessageBus(manager.config.messaging);
    agent = new OperationWorker({
      bus: agentBus,
      queue: `${vm.id}_operation`,
      plugins: defaultPluginRegistry(manager.dataDir),
    });
    await agent.start();

    await manager.waitForStatus(executionId, 'terminated');
    const instances = await manager.instances('hosted');
    const app = instances.find((i) => i.node_id === 'app');
    expect(app?.runtime_properties).toMatchObject({ ran_on: vm.id });
    expect(instances.find((i) => i.node_id === 'vm')?.runtime_properties).toMatchObject({
      cloudify_agent: { name: vm.id, queue: vm.id, install_method: 'provided' },
    });

    // validate_agents: the agent answers over AMQP.
    await manager.run('hosted', 'validate_agents');

    // Uninstall stops the agent (run by the agent itself) and deletes its record's state.
    await manager.run('hosted', 'uninstall');
    const deleted = await manager.http('get', `agents/${vm.id}`).expect(200);
    expect(deleted.body.state).toBe('deleted');
  }, 90000);
});
