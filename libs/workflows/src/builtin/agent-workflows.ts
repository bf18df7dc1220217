import type { Task } from '../engine/tasks';
import type { JsonMap } from '../ports';
import type { WfNodeInstance } from '../context/model';
import type { WorkflowContext } from '../context/workflow-context';
import { bool, filterInstances, stringList } from './parameters';

const AGENT = 'cloudify.interfaces.cloudify_agent';
/** install_new_agents replaces agents the manager installs (workflows.md §2). */
const INSTALLED_BY_MANAGER = ['remote', 'init_script', 'plugin'];

/** The selected compute instances with an agent (by install method); each must be started. */
function agentHosts(ctx: WorkflowContext, params: JsonMap, methods: string[]): WfNodeInstance[] {
  const wanted = stringList(params.install_methods);
  const accepted = (method: string) =>
    wanted.length ? wanted.includes(method) : methods.length ? methods.includes(method) : true;
  const hosts = filterInstances(ctx, params).filter(
    (instance) =>
      instance.node.isCompute &&
      instance.node.installMethod !== 'none' &&
      accepted(instance.node.installMethod),
  );
  const idle = hosts.filter((host) => host.state !== 'started');
  if (idle.length) {
    throw new Error(
      `Node instances must be started to validate or install agents: ${idle
        .map((host) => `${host.id} (${host.state})`)
        .join(', ')}`,
    );
  }
  return hosts;
}

function validateSteps(host: WfNodeInstance, currentAmqp: boolean): Task[] {
  return [
    host.sendEvent('Validating agent connection.'),
    host.executeOperation(`${AGENT}.validate_amqp`, { kwargs: { current_amqp: currentAmqp } }),
    host.sendEvent('Agent connection validated.'),
  ];
}

/** `validate_agents`: each host's agent answers over AMQP (its `validate_amqp` operation). */
export async function validateAgents(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const hosts = agentHosts(ctx, params, []);
  const { graph } = await ctx.makeOrGetGraph('validate', (g) => {
    for (const host of hosts) {
      g.within(g.subgraph(`validate_${host.id}`))
        .sequence()
        .add(...validateSteps(host, true));
    }
  });
  await ctx.executeGraph(graph);
}

/**
 * `install_new_agents`: validate the current agents, then install new ones (`create_amqp`),
 * validate them and start monitoring on the hosts and what they contain.
 */
export async function installNewAgents(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const hosts = agentHosts(ctx, params, INSTALLED_BY_MANAGER);
  const validate = bool(params.validate, true);
  const install = bool(params.install, true);
  const text = (value: JsonMap[string], fallback: string) =>
    typeof value === 'string' ? value : fallback;
  const kwargs: JsonMap = {
    install_agent_timeout:
      typeof params.install_agent_timeout === 'number' ? params.install_agent_timeout : 300,
    manager_ip: text(params.manager_ip, ''),
    manager_certificate: text(params.manager_certificate, ''),
    install_script: text(params.install_script, ''),
    stop_old_agent: bool(params.stop_old_agent, false),
  };

  const { graph } = await ctx.makeOrGetGraph('install_new_agents', (g) => {
    const validating = g.subgraph('validate');
    const installing = g.subgraph('install');
    for (const host of hosts) {
      if (validate) {
        const inner = g.within(validating);
        const subgraph = inner.subgraph(`validate_${host.id}`);
        g.within(subgraph)
          .sequence()
          .add(...validateSteps(host, false));
      }
      if (install) {
        const subgraph = g.within(installing).subgraph(`install_${host.id}`);
        g.within(subgraph)
          .sequence()
          .add(
            host.sendEvent('Installing new agent'),
            host.executeOperation(`${AGENT}.create_amqp`, { kwargs, allowKwargsOverride: true }),
            host.sendEvent('New agent installed.'),
            host.executeOperation(`${AGENT}.validate_amqp`, { kwargs: { current_amqp: true } }),
            host.executeOperation('cloudify.interfaces.monitoring_agent.install'),
            host.executeOperation('cloudify.interfaces.monitoring_agent.start'),
            ...host.containedInstances.map((contained) =>
              contained.executeOperation('cloudify.interfaces.monitoring.start'),
            ),
          );
      }
    }
    g.addDependency(installing, validating);
  });
  await ctx.executeGraph(graph);
}
