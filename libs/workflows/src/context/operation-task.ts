import type {
  ExecutionRequest,
  JsonMap,
  JsonValue,
  PlanOperation,
  WorkflowSettings,
} from '../ports';
import { NopTask, OperationContextData, RemoteOperationTask, Task } from '../engine/tasks';
import { newTaskId } from '../engine/task-id';
import type { ExecuteOperationOptions, RelatedInstance, WfNodeInstance } from './model';

/** Keys of the execution's `__cloudify_context` passed on into every operation's context. */
const INHERITED_KEYS = [
  'rest_host',
  'rest_port',
  'bypass_maintenance',
  'deployment_display_name',
  'execution_env',
];

/** Keys never stored with a graph (they are added when the task is sent). */
export const SECRET_CONTEXT_KEYS = ['execution_token', 'rest_token'];

/** Operation inputs merged with caller kwargs; a clash is an error unless overriding is allowed. */
export function mergeKwargs(inputs: JsonMap, kwargs: JsonMap, allowOverride: boolean): JsonMap {
  const merged: JsonMap = {};
  // Inputs of a plan are JSON: copied by hand, which is much cheaper than structuredClone.
  for (const key in inputs) setOwn(merged, key, cloneJson(inputs[key]));
  for (const key in kwargs) {
    if (!allowOverride && key in inputs) {
      throw new Error(
        `Duplicate definition of ${key} in operation properties and in kwargs. ` +
          'To allow redefinition, pass "allow_kwargs_override" to "execute_operation"',
      );
    }
    setOwn(merged, key, cloneJson(kwargs[key]));
  }
  return merged;
}

/** `target[key] = value` as an own property, even for a key named `__proto__` (as JSON.parse does). */
function setOwn(target: JsonMap, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** A deep copy of a JSON value. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const copy: JsonMap = {};
  for (const key in value) setOwn(copy, key, cloneJson((value as JsonMap)[key]));
  return copy as T;
}

function pluginContext(
  instance: WfNodeInstance,
  related: RelatedInstance | null,
  name: string,
): JsonMap {
  const candidates = [...instance.node.plugins, ...(related?.instance.node.plugins ?? [])];
  const plugin = candidates.find((p) => p.name === name) ?? {};
  const field = (key: string): JsonValue => (plugin[key] ?? null) as JsonValue;
  return {
    name,
    package_name: field('package_name'),
    package_version: field('package_version'),
    visibility: field('visibility'),
    tenant_name: field('tenant_name'),
    source: field('source'),
    properties: (plugin.properties ?? {}) as JsonValue,
  };
}

/**
 * The task of one operation of an instance (workflows.md §3.2): a NOP when the operation is not
 * mapped, else a remote task whose kwargs hold the merged inputs and `__cloudify_context`.
 */
export function buildOperationTask(
  request: ExecutionRequest,
  settings: WorkflowSettings,
  instance: WfNodeInstance,
  operations: Record<string, PlanOperation>,
  name: string,
  related: RelatedInstance | null,
  options: ExecuteOperationOptions,
): Task {
  const op = operations[name];
  if (!op || !op.operation) return new NopTask();
  const totalRetries = op.max_retries ?? settings.task_retries;
  const retryInterval = op.retry_interval ?? settings.task_retry_interval;
  const taskId = newTaskId();
  const tenant = (request.context.tenant as JsonMap | undefined) ?? { name: request.tenant_name };
  const context: OperationContextData = {
    __cloudify_context: '0.3',
    type: 'operation',
    task_id: taskId,
    task_name: op.operation,
    execution_id: request.execution_id,
    workflow_id: request.workflow_id,
    deployment_id: request.deployment_id,
    blueprint_id: request.blueprint_id,
    tenant,
    timeout: op.timeout ?? null,
    timeout_recoverable: op.timeout_recoverable ?? null,
    node_id: instance.id,
    node_name: instance.nodeId,
    plugin: pluginContext(instance, related, op.plugin),
    operation: { name, retry_number: 0, max_retries: totalRetries },
    has_intrinsic_functions: op.has_intrinsic_functions ?? false,
    host_id: instance.hostId,
    executor: op.executor ?? 'central_deployment_agent',
    local: false,
    workflow_parameters: request.parameters,
    execution_creator_username: request.execution_creator_username,
  };
  for (const key of INHERITED_KEYS) {
    if (request.context[key] !== undefined) context[key] = request.context[key];
  }
  if (related) {
    context.related = {
      node_id: related.instance.id,
      node_name: related.instance.nodeId,
      is_target: related.side === 'source',
    };
    context.operation.relationship = related.side;
  }
  const kwargs = mergeKwargs(
    (op.inputs ?? {}) as JsonMap,
    options.kwargs ?? {},
    options.allowKwargsOverride ?? false,
  );
  const task = new RemoteOperationTask(
    { ...kwargs, __cloudify_context: context },
    { totalRetries, retryInterval },
    taskId,
  );
  task.sendTaskEvents = options.sendTaskEvents ?? true;
  return task;
}
