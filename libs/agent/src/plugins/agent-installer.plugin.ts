import {
  definePlugin,
  type JsonMap,
  NonRecoverableError,
  type OperationContext,
  OperationRetry,
} from '@nestify/plugin-sdk';
import { OperationContextImpl } from '../context/operation-context';

/** Asks an agent whether it is up (AgentPinger over the worker's bus). */
export type PingAgent = (agentName: string, timeoutMs: number) => Promise<boolean>;

const VERSION = '7.0.0';
/** Install methods where someone else starts the agent; the manager waits for it to answer. */
const STARTED_ELSEWHERE = new Set(['provided', 'init_script', 'plugin']);
const PING_TIMEOUT_MS = 5000;
const RETRY_AFTER_S = 3;

const asMap = (value: unknown): JsonMap =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonMap) : {};

/** The host's agent settings: `agent_config` over the legacy `cloudify_agent` property. */
function agentConfigOf(ctx: OperationContext): JsonMap {
  const properties = ctx.node.properties;
  return { ...asMap(properties.cloudify_agent), ...asMap(properties.agent_config) };
}

function internals(ctx: OperationContext): OperationContextImpl {
  if (!(ctx instanceof OperationContextImpl)) {
    throw new NonRecoverableError('the agent plugin runs only inside the nestify worker');
  }
  return ctx;
}

/** The agent record kept in the host's runtime properties (what host_agent routing reads). */
function storedAgent(ctx: OperationContext): JsonMap & { name: string } {
  const agent = asMap(ctx.instance.runtimeProperties.cloudify_agent);
  if (typeof agent.name !== 'string' || !agent.name) {
    throw new NonRecoverableError(`${ctx.instance.id}: no cloudify_agent record; was it created?`);
  }
  return agent as JsonMap & { name: string };
}

async function setState(ctx: OperationContext, state: string): Promise<void> {
  const agent = storedAgent(ctx);
  await internals(ctx).managerClient.setAgentState?.(agent.name, state);
}

/**
 * `cloudify.interfaces.cloudify_agent.*` (plugin `agent`, module
 * `cloudify_agent.installer.operations`) for agents the manager does not install itself:
 * `provided`, `init_script` and `plugin` agents are started on the host
 * (`nestify agent start --name <agent name>`); the manager records them, waits for them to answer
 * and routes host_agent operations to them. `remote` (SSH/WinRM installation) is not supported.
 */
export function agentInstallerPlugin(ping: PingAgent) {
  const waitForAgent = async (ctx: OperationContext) => {
    const agent = storedAgent(ctx);
    if (await ping(agent.name, PING_TIMEOUT_MS)) return;
    ctx.logger.info(`Waiting for agent ${agent.name} to start`);
    throw new OperationRetry(`Agent ${agent.name} is not answering yet`, RETRY_AFTER_S);
  };

  return definePlugin({
    name: 'agent',
    module: 'cloudify_agent.installer.operations',
    operations: {
      async create(ctx, inputs) {
        const config = { ...agentConfigOf(ctx), ...asMap(inputs.cloudify_agent) };
        const method = typeof config.install_method === 'string' ? config.install_method : 'remote';
        if (!STARTED_ELSEWHERE.has(method)) {
          throw new NonRecoverableError(
            `agent install_method ${method} is not supported by nestify: start the agent on the ` +
              'host (`nestify agent start --name <agent name>`) and use install_method provided',
          );
        }
        const name = typeof config.name === 'string' && config.name ? config.name : ctx.instance.id;
        const ip = ctx.node.properties.ip;
        ctx.instance.runtimeProperties.cloudify_agent = {
          ...config,
          name,
          queue: name,
          install_method: method,
          tenant: { name: ctx.tenantName },
          version: VERSION,
          ...(typeof ip === 'string' && ip ? { ip } : {}),
        };
        await ctx.instance.update();
        await internals(ctx).managerClient.putAgent?.(name, {
          node_instance_id: ctx.instance.id,
          state: 'created',
          install_method: method,
          version: VERSION,
          rabbitmq_exchange: name,
          create_rabbitmq_user: false,
          ...(typeof ip === 'string' && ip ? { ip } : {}),
        });
        ctx.logger.info(
          `Agent ${name} recorded; start it on the host with: nestify agent start --name ${name}`,
        );
        return null;
      },
      async configure(ctx) {
        await setState(ctx, 'configured');
        return null;
      },
      async start(ctx) {
        await waitForAgent(ctx);
        await setState(ctx, 'started');
        return null;
      },
      async restart(ctx) {
        await waitForAgent(ctx);
        await setState(ctx, 'started');
        return null;
      },
      async validate_amqp(ctx) {
        const agent = storedAgent(ctx);
        if (!(await ping(agent.name, PING_TIMEOUT_MS))) {
          throw new NonRecoverableError(`Agent ${agent.name} did not answer over AMQP`);
        }
        return { agent_alive: true };
      },
      async create_amqp() {
        throw new NonRecoverableError(
          'install_new_agents: nestify does not install agents; restart them on their hosts',
        );
      },
      // The agent process belongs to its host; the manager only records that it stopped.
      async stop(ctx) {
        await setState(ctx, 'stopped');
        return null;
      },
      async stop_amqp(ctx) {
        await setState(ctx, 'stopped');
        return null;
      },
      async delete(ctx) {
        await setState(ctx, 'deleted');
        return null;
      },
    },
  });
}
