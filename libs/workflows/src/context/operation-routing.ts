import type {
  DeploymentStore,
  ExecutionRequest,
  JsonMap,
  JsonValue,
  NodeInstanceData,
  OperationRequest,
} from '../ports';
import { NonRecoverableError } from '../engine/errors';
import type { RemoteOperationTask } from '../engine/tasks';

export const MANAGEMENT_TARGET = 'cloudify.management';

/** Added to the sent context only: never stored with the graph. */
const SECRET_KEYS = ['execution_token', 'rest_token'] as const;

interface AgentInfo {
  queue: string;
  name: string;
  rest_host?: JsonMap[keyof JsonMap];
}

/**
 * Where operations go (workflows.md §7): `central_deployment_agent` to `cloudify.management`,
 * `host_agent` to the host's agent (read when sent: the agent is created during install),
 * `auto` to the host agent when the instance has a host.
 */
export class OperationRouter {
  private readonly agents = new Map<string, AgentInfo>();

  constructor(
    private readonly request: ExecutionRequest,
    private readonly store: DeploymentStore,
    private readonly hostOf: (instanceId: string) => string | null,
  ) {}

  /** Forgets a host's agent (after `cloudify_agent.delete`, or a new agent). */
  forget(hostId: string): void {
    this.agents.delete(hostId);
  }

  /** The request of an operation; a promise only when the host's agent must be read first. */
  prepare(task: RemoteOperationTask): OperationRequest | Promise<OperationRequest> {
    const ctx = task.cloudifyContext;
    let executor = ctx.executor ?? 'central_deployment_agent';
    const hostId = this.hostOf(ctx.node_id) ?? (ctx.host_id as string | null) ?? null;
    if (executor === 'auto') executor = hostId ? 'host_agent' : 'central_deployment_agent';
    if (executor !== 'host_agent') return this.buildRequest(task, MANAGEMENT_TARGET, false);
    if (!hostId) {
      throw new NonRecoverableError(
        `${ctx.node_id}: operation ${ctx.operation.name} runs on a host agent but the node instance has no host`,
      );
    }
    const known = this.agents.get(hostId);
    if (known) return this.agentRequest(task, hostId, known);
    return this.agentOf(hostId).then((agent) => this.agentRequest(task, hostId, agent));
  }

  private agentRequest(task: RemoteOperationTask, hostId: string, agent: AgentInfo) {
    if (task.operationName === 'cloudify.interfaces.cloudify_agent.delete') this.forget(hostId);
    return this.buildRequest(task, agent.queue, true, agent.rest_host);
  }

  private buildRequest(
    task: RemoteOperationTask,
    target: string,
    hostAgent: boolean,
    restHost?: JsonValue,
  ): OperationRequest {
    const ctx = task.cloudifyContext;
    // Routing facts go on the task's own context first, so that the copy sent (which also gets
    // the tokens, never stored) is a plain clone: adding keys to a clone is V8's slow path.
    ctx.task_queue = target;
    ctx.task_target = target;
    const context: JsonMap = { ...ctx };
    if (restHost !== undefined) context.rest_host = restHost;
    for (const key of SECRET_KEYS) {
      const value = this.request.context[key];
      if (value !== undefined) context[key] = value;
    }
    return {
      target,
      hostAgent,
      message: {
        id: task.id,
        cloudify_task: { kwargs: withContext(task.kwargs, context) },
      },
    };
  }

  private async agentOf(hostId: string): Promise<AgentInfo> {
    const known = this.agents.get(hostId);
    if (known) return known;
    const host = await this.readInstance(hostId);
    const agent = (host?.runtime_properties.cloudify_agent ?? {}) as JsonMap;
    const queue = agent.queue;
    const name = agent.name;
    if (typeof queue !== 'string' || !queue || typeof name !== 'string' || !name) {
      const missing = typeof queue === 'string' && queue ? 'name' : 'queue';
      throw new NonRecoverableError(
        `${hostId}: missing cloudify_agent.${missing} runtime information. ` +
          'This most likely means that the Compute node was never started successfully',
      );
    }
    const info: AgentInfo = { queue, name, rest_host: agent.rest_host };
    if (info.rest_host === undefined) delete info.rest_host;
    this.agents.set(hostId, info);
    return info;
  }

  private async readInstance(id: string): Promise<NodeInstanceData | null> {
    if (this.store.getInstance) return this.store.getInstance(id);
    const all = await this.store.loadInstances();
    return all.find((instance) => instance.id === id) ?? null;
  }
}

/** The task's kwargs with another `__cloudify_context` (a key they already have). */
function withContext(kwargs: JsonMap, context: JsonMap): JsonMap & { __cloudify_context: JsonMap } {
  const copy = { ...kwargs } as JsonMap & { __cloudify_context: JsonMap };
  copy.__cloudify_context = context;
  return copy;
}
