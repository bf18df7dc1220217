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

const INSTALLER = 'cloudify_agent.installer.operations';
const OPERATIONS = 'cloudify_agent.operations';

/**
 * `cloudify.interfaces.cloudify_agent.*` (plugin `agent`) for agents the manager does not install
 * itself: `provided`, `init_script` and `plugin` agents are started on the host
 * (`nestify agent start --name <agent name>`); the manager records them, waits for them to answer
 * and routes host_agent operations to them. `remote` (SSH/WinRM installation) and
 * `install_new_agents` are not supported. `ping` exists where the worker reaches agents' exchanges
 * (the mgmtworker's central deployment agent); the operations that run on the host agent itself
 * (`stop_amqp`, `restart_amqp`, plugin installs) need none.
 */
export function agentInstallerPlugin(ping?: PingAgent) {
  const answers = async (ctx: OperationContext): Promise<boolean> => {
    if (!ping) throw new NonRecoverableError('this worker cannot reach agents over AMQP');
    return ping(storedAgent(ctx).name, PING_TIMEOUT_MS);
  };
  const waitForAgent = async (ctx: OperationContext) => {
    if (await answers(ctx)) return;
    const name = storedAgent(ctx).name;
    ctx.logger.info(`Waiting for agent ${name} to start`);
    throw new OperationRetry(`Agent ${name} is not answering yet`, RETRY_AFTER_S);
  };

  return definePlugin({
    name: 'agent',
    operations: {
      async [`${INSTALLER}.create`](ctx: OperationContext, inputs: JsonMap) {
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
        const withIp: JsonMap = typeof ip === 'string' && ip ? { ip } : {};
        ctx.instance.runtimeProperties.cloudify_agent = {
          ...config,
          name,
          queue: name,
          install_method: method,
          tenant: { name: ctx.tenantName },
          version: VERSION,
          ...withIp,
        };
        await ctx.instance.update();
        await internals(ctx).managerClient.putAgent?.(name, {
          node_instance_id: ctx.instance.id,
          state: 'created',
          install_method: method,
          version: VERSION,
          rabbitmq_exchange: name,
          create_rabbitmq_user: false,
          ...withIp,
        });
        ctx.logger.info(
          `Agent ${name} recorded; on the host run: nestify agent start --name ${name}`,
        );
        return null;
      },
      async [`${INSTALLER}.configure`](ctx: OperationContext) {
        await setState(ctx, 'configured');
        return null;
      },
      async [`${INSTALLER}.start`](ctx: OperationContext) {
        await waitForAgent(ctx);
        await setState(ctx, 'started');
        return null;
      },
      async [`${INSTALLER}.restart`](ctx: OperationContext) {
        await waitForAgent(ctx);
        await setState(ctx, 'started');
        return null;
      },
      // The agent process belongs to its host; the manager only records that it stopped.
      async [`${INSTALLER}.stop`](ctx: OperationContext) {
        await setState(ctx, 'stopped');
        return null;
      },
      async [`${INSTALLER}.delete`](ctx: OperationContext) {
        await setState(ctx, 'deleted');
        return null;
      },
      async [`${OPERATIONS}.validate_agent_amqp`](ctx: OperationContext) {
        if (!(await answers(ctx))) {
          throw new NonRecoverableError(`Agent ${storedAgent(ctx).name} did not answer over AMQP`);
        }
        return { agent_alive: true };
      },
      [`${OPERATIONS}.create_agent_amqp`]() {
        throw new NonRecoverableError(
          'install_new_agents: nestify does not install agents; start new ones on their hosts',
        );
      },
      // Run by the host agent itself. A provided agent is the host's service: it keeps running
      // (its supervisor would restart it anyway) and the record says stopped.
      async [`${OPERATIONS}.stop`](ctx: OperationContext) {
        ctx.logger.info(
          'Agent stop requested; a provided agent keeps running until its host stops it',
        );
        return null;
      },
      async [`${OPERATIONS}.restart`]() {
        return null;
      },
      // Plugins come from the worker's plugins directory; nothing to install per deployment.
      async [`${OPERATIONS}.install_plugins`]() {
        return null;
      },
      async [`${OPERATIONS}.uninstall_plugins`]() {
        return null;
      },
    },
  });
}
