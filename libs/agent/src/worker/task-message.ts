import type { JsonMap, JsonValue } from '@nestify/plugin-sdk';

/** The fields of an operation's `__cloudify_context` the worker reads (workflows.md §3.2). */
export interface OperationTaskContext {
  task_id: string;
  task_name: string;
  task_target?: string | null;
  task_queue?: string | null;
  execution_id: string;
  workflow_id: string;
  tenant: { name: string };
  deployment_id?: string | null;
  blueprint_id?: string | null;
  node_id?: string | null;
  node_name?: string | null;
  plugin?: { name?: string | null } | null;
  operation?: {
    name?: string;
    retry_number?: number;
    max_retries?: number;
    relationship?: 'source' | 'target' | null;
  } | null;
  related?: { node_id: string; node_name: string; is_target: boolean } | null;
  timeout?: number | null;
  timeout_recoverable?: boolean | null;
  execution_token?: string | null;
  rest_host?: string | string[] | null;
  rest_port?: number | null;
  execution_creator_username?: string | null;
  workflow_parameters?: JsonMap | null;
  resume?: boolean;
  [key: string]: JsonValue | undefined | object;
}

export interface OperationTask {
  id: string;
  context: OperationTaskContext;
  /** The operation's inputs (kwargs without `__cloudify_context`). */
  inputs: JsonMap;
  /** The raw `__cloudify_context`. */
  rawContext: JsonMap;
}

export class InvalidTaskError extends Error {}

const isMap = (value: unknown): value is JsonMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const requireString = (context: JsonMap, key: string): string => {
  const value = context[key];
  if (typeof value !== 'string' || value === '') {
    throw new InvalidTaskError(`__cloudify_context.${key} must be a non-empty string`);
  }
  return value;
};

/** Validates an operation task body (messaging.md §3.2) at the edge, once. */
export function parseOperationTask(body: unknown): OperationTask {
  if (!isMap(body) || typeof body.id !== 'string') {
    throw new InvalidTaskError('an operation task needs a string id');
  }
  const task = body.cloudify_task;
  const kwargs = isMap(task) ? task.kwargs : undefined;
  if (!isMap(kwargs) || !isMap(kwargs.__cloudify_context)) {
    throw new InvalidTaskError('an operation task needs cloudify_task.kwargs.__cloudify_context');
  }
  const { __cloudify_context: rawContext, ...inputs } = kwargs;
  for (const key of ['task_name', 'execution_id', 'workflow_id']) requireString(rawContext, key);
  const tenant = rawContext.tenant;
  if (!isMap(tenant) || typeof tenant.name !== 'string') {
    throw new InvalidTaskError('__cloudify_context.tenant.name must be a string');
  }
  const context = { task_id: body.id, ...rawContext } as unknown as OperationTaskContext;
  return { id: body.id, context, inputs, rawContext };
}

/** Plugin name of a task; `script` for tasks of the script runner that name none. */
export function pluginNameOf(context: OperationTaskContext): string | undefined {
  const name = context.plugin?.name;
  if (typeof name === 'string' && name !== '') return name;
  return context.task_name.startsWith('script_runner.') ? 'script' : undefined;
}
