import { LoggerLike } from '@nestify/common';
import { MessageBus } from '@nestify/messaging';
import {
  type JsonValue,
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
} from '@nestify/plugin-sdk';
import type { OperationReply } from '@nestify/workflows';
import { loadSubject, OperationContextImpl, type Subject } from '../context/operation-context';
import type { ManagerClient } from '../context/manager-client';
import { serializeError } from '../errors/serialize-error';
import { OperationEvents } from '../events/operation-events';
import { PluginRegistry } from './plugin-registry';
import { OperationTask, pluginNameOf } from './task-message';

/** Why an operation was stopped from outside. */
export class OperationTimeout extends Error {}
export class OperationCancelled extends Error {}

export interface RunnerDependencies {
  bus: MessageBus;
  plugins: PluginRegistry;
  clientFor(task: OperationTask): ManagerClient;
  logger: LoggerLike;
}

/** The outcome of one task: a reply to send, or nothing (its execution was cancelled). */
export type RunOutcome = { reply: OperationReply } | { dropped: true };

/**
 * Runs one operation task: resolves the plugin, builds the ctx, calls the function under the
 * task's timeout, stores edited runtime properties (after success or failure, workflows.md §5) and
 * turns the result or error into a reply. `controller` aborts it from outside (cancel-operation).
 */
export async function runOperation(
  task: OperationTask,
  controller: AbortController,
  deps: RunnerDependencies,
): Promise<RunOutcome> {
  const events = new OperationEvents(deps.bus, task.context, deps.logger);
  let ctx: OperationContextImpl | undefined;
  try {
    const { plugin, operation } = deps.plugins.resolve(
      pluginNameOf(task.context),
      task.context.task_name,
    );
    const client = deps.clientFor(task);
    const subjects = plugin.preload === false ? {} : await loadSubjects(task, client);
    ctx = new OperationContextImpl({
      task: task.context,
      rawContext: task.rawContext,
      client,
      events,
      signal: controller.signal,
      ...subjects,
    });
    const result = await callWithTimeout(() => operation(ctx!, task.inputs), task, controller);
    await storeRuntimeProperties(ctx);
    if (ctx.retryRequest) {
      throw new OperationRetry(ctx.retryRequest.message, ctx.retryRequest.retryAfter);
    }
    return { reply: { ok: true, result: toJson(result) } };
  } catch (error) {
    if (error instanceof OperationCancelled) return { dropped: true };
    if (ctx && !(error instanceof OperationTimeout)) await storeAfterFailure(ctx, deps.logger);
    return { reply: { ok: false, error: serializeError(asOperationError(error, task)) } };
  } finally {
    await events.flush();
    await ctx?.dispose();
  }
}

async function loadSubjects(
  task: OperationTask,
  client: ManagerClient,
): Promise<{ self?: Subject; related?: Subject }> {
  const { node_id: nodeId, deployment_id: deploymentId, related } = task.context;
  if (!nodeId || !deploymentId) return {};
  const self = await loadSubject(client, deploymentId, nodeId);
  if (!related) return { self };
  return { self, related: await loadSubject(client, deploymentId, related.node_id) };
}

/** Rejects with OperationTimeout / OperationCancelled when the controller or timer fires first. */
async function callWithTimeout(
  call: () => unknown,
  task: OperationTask,
  controller: AbortController,
): Promise<unknown> {
  const seconds = task.context.timeout;
  const timer =
    typeof seconds === 'number' && seconds > 0
      ? setTimeout(() => controller.abort(new OperationTimeout()), seconds * 1000)
      : undefined;
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(controller.signal.reason ?? new OperationCancelled());
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  try {
    return await Promise.race([Promise.resolve().then(call), aborted]);
  } finally {
    clearTimeout(timer);
  }
}

async function storeRuntimeProperties(ctx: OperationContextImpl): Promise<void> {
  for (const instance of ctx.modifiableInstances) if (instance.dirty) await instance.update();
}

/** After a failure the operation's own error is what matters; a failed store is only logged. */
async function storeAfterFailure(ctx: OperationContextImpl, logger: LoggerLike): Promise<void> {
  try {
    await storeRuntimeProperties(ctx);
  } catch (error) {
    logger.warn(`task ${ctx.taskId}: could not store runtime properties: ${error}`);
  }
}

function asOperationError(error: unknown, task: OperationTask): unknown {
  if (!(error instanceof OperationTimeout)) return error;
  const message = `Process killed due to timeout of ${task.context.timeout} seconds`;
  return task.context.timeout_recoverable
    ? new RecoverableError(message)
    : new NonRecoverableError(message);
}

/** Results must be JSON; anything else is stored as null (as Cloudify does). */
function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return null;
  }
}
