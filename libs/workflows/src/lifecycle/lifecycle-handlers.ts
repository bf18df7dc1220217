import { HandlerEnv, HandlerRegistry, HandlerResults } from '../engine/handlers';
import { SubgraphTask, Task } from '../engine/tasks';
import type { JsonMap } from '../ports';
import { WorkflowContext } from '../context/workflow-context';
import type { WfNodeInstance } from '../context/model';
import {
  CHECK_DRIFT_FAILURE,
  CHECK_DRIFT_SUCCESS,
  CHECK_STATUS_FAILURE,
  CHECK_STATUS_FAILURE_IGNORED,
  CHECK_STATUS_SUCCESS,
  IGNORE_SUBGRAPH_FAILURE,
  IGNORE_TASK_FAILURE,
  NODE_GET_STATE,
  ON_HEAL_FAILURE,
  ON_HEAL_SUCCESS,
  RELATIONSHIP_SUBGRAPH_ON_FAILURE,
  SEND_NODE_EVENT_ON_ERROR,
  SUBGRAPH_ON_FAILURE,
} from './handler-names';
import { reinstallInstanceSubgraph, uninstallInstanceSubgraph } from './instance-subgraphs';
import { scopeOf } from './steps';

function contextOf(env: HandlerEnv): WorkflowContext {
  if (!(env.workflow instanceof WorkflowContext))
    throw new Error('Handler needs a workflow context');
  return env.workflow;
}

function instanceOf(env: HandlerEnv, args: JsonMap): WfNodeInstance {
  const id = String(args.instance_id);
  const instance = contextOf(env).getNodeInstance(id);
  if (!instance) throw new Error(`Node instance not found: ${id}`);
  return instance;
}

/** Drops a failed subgraph's remaining tasks from the graph. */
function clearSubgraph(env: HandlerEnv, subgraph: Task): void {
  if (!(subgraph instanceof SubgraphTask)) return;
  for (const child of [...subgraph.children.values()]) env.graph.removeTask(child);
}

/** A failed instance subgraph: retried as a reinstall (or uninstall) subgraph, if allowed. */
function subgraphOnFailure(task: Task, args: JsonMap, env: HandlerEnv) {
  clearSubgraph(env, task);
  if (task.containingSubgraph) {
    env.failSubgraph(task.containingSubgraph, (task as SubgraphTask).failedTask);
    return HandlerResults.ignore();
  }
  const allowed = task.totalRetries === -1 || task.currentRetries < task.totalRetries;
  if (!allowed) return HandlerResults.fail();
  const ctx = contextOf(env);
  const instance = instanceOf(env, args);
  const scope = scopeOf(env.graph);
  const retry =
    args.on_retry === 'uninstall'
      ? uninstallInstanceSubgraph(scope, instance, false)
      : reinstallInstanceSubgraph(scope, instance, ctx.dryRun);
  retry.currentRetries = task.currentRetries + 1;
  retry.retriedTask = task.id;
  return HandlerResults.retry({ retriedTask: retry });
}

async function sendNodeEventOnError(task: Task, args: JsonMap, env: HandlerEnv) {
  const ctx = contextOf(env);
  const instance = instanceOf(env, args);
  ctx.publish([
    ctx.events.nodeEvent(instance.id, instance.nodeId, `Ignoring task ${task.name} failure`),
  ]);
  return HandlerResults.ignore();
}

function relationshipSubgraphOnFailure(task: Task, _args: JsonMap, env: HandlerEnv) {
  clearSubgraph(env, task);
  if (task.containingSubgraph) {
    env.failSubgraph(task.containingSubgraph, (task as SubgraphTask).failedTask);
  }
  return HandlerResults.ignore();
}

async function onHealSuccess(_task: Task, args: JsonMap, env: HandlerEnv) {
  const instance = instanceOf(env, args);
  const system = { ...instance.systemProperties };
  system.status = { ...((system.status as JsonMap) ?? {}), ok: true, task: null, healed: true };
  await contextOf(env).updateSystemProperties(instance.id, system);
  return HandlerResults.cont();
}

async function onHealFailure(_task: Task, args: JsonMap, env: HandlerEnv) {
  const ctx = contextOf(env);
  const instance = instanceOf(env, args);
  await ctx.updateSystemProperties(instance.id, {
    ...instance.systemProperties,
    heal_failed: ctx.executionId,
  });
  return HandlerResults.ignore();
}

/** check_status: the result becomes `system_properties.status`, the old one `previous_status`. */
async function recordStatus(task: Task, args: JsonMap, env: HandlerEnv, ok: boolean) {
  const instance = instanceOf(env, args);
  const system = { ...instance.systemProperties };
  system.previous_status = system.status ?? null;
  system.status = {
    ok,
    timestamp: new Date().toISOString(),
    task: task.name,
    result: ok ? task.result : (task.error?.message ?? null),
  };
  await contextOf(env).updateSystemProperties(instance.id, system);
}

/**
 * check_drift: the operation's answer becomes the instance's `configuration_drift` (a returned
 * value means drift), or — for a relationship operation (`side` source/target) — the entry for
 * the other end in `<side>_relationships_configuration_drift`.
 */
async function recordDrift(task: Task, args: JsonMap, env: HandlerEnv, ok: boolean) {
  const instance = instanceOf(env, args);
  const drift = {
    ok,
    timestamp: new Date().toISOString(),
    task: task.name,
    result: ok ? (task.result ?? null) : (task.error?.message ?? null),
  };
  const system = { ...instance.systemProperties };
  if (typeof args.side === 'string' && typeof args.other_id === 'string') {
    const key = `${args.side}_relationships_configuration_drift`;
    system[key] = { ...((system[key] as JsonMap) ?? {}), [args.other_id]: drift };
  } else {
    system.configuration_drift = drift;
  }
  await contextOf(env).updateSystemProperties(instance.id, system);
}

/** The lifecycle handlers, under the names stored graphs refer to. */
export function registerLifecycleHandlers(registry: HandlerRegistry): void {
  registry
    .register(SUBGRAPH_ON_FAILURE, subgraphOnFailure)
    .register(SEND_NODE_EVENT_ON_ERROR, sendNodeEventOnError)
    .register(RELATIONSHIP_SUBGRAPH_ON_FAILURE, relationshipSubgraphOnFailure)
    .register(NODE_GET_STATE, (task) =>
      task.result ? HandlerResults.cont() : HandlerResults.retry({ ignoreTotalRetries: true }),
    )
    .register(IGNORE_TASK_FAILURE, (_task, _args, env) => {
      contextOf(env).logger.info('Ignoring task failure in cleanup');
      return HandlerResults.ignore();
    })
    .register(IGNORE_SUBGRAPH_FAILURE, (task, _args, env) => {
      contextOf(env).logger.info('Ignoring subgraph failure in cleanup');
      if (task instanceof SubgraphTask) {
        for (const child of [...task.children.values()]) {
          if (child.state === 'pending') env.graph.removeTask(child);
        }
      }
      return HandlerResults.ignore();
    })
    .register(ON_HEAL_SUCCESS, onHealSuccess)
    .register(ON_HEAL_FAILURE, onHealFailure)
    .register(CHECK_STATUS_SUCCESS, async (task, args, env) => {
      await recordStatus(task, args, env, true);
      return HandlerResults.cont();
    })
    .register(CHECK_STATUS_FAILURE, async (task, args, env) => {
      await recordStatus(task, args, env, false);
      return HandlerResults.fail();
    })
    .register(CHECK_DRIFT_SUCCESS, async (task, args, env) => {
      await recordDrift(task, args, env, true);
      return HandlerResults.cont();
    })
    .register(CHECK_DRIFT_FAILURE, async (task, args, env) => {
      await recordDrift(task, args, env, false);
      return HandlerResults.fail();
    })
    .register(CHECK_STATUS_FAILURE_IGNORED, async (task, args, env) => {
      await recordStatus(task, args, env, false);
      return HandlerResults.ignore();
    });
}
