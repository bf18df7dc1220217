import { handlerRef } from '../engine/handlers';
import { TaskGraph } from '../engine/task-graph';
import { RemoteOperationTask, SubgraphTask, Task } from '../engine/tasks';
import type { JsonMap } from '../ports';
import type { WorkflowContext } from '../context/workflow-context';
import {
  CHECK_DRIFT_FAILURE,
  CHECK_DRIFT_SUCCESS,
  CHECK_STATUS_FAILURE,
  CHECK_STATUS_FAILURE_IGNORED,
  CHECK_STATUS_SUCCESS,
} from '../lifecycle/handler-names';
import { bool, filterInstances, map } from './parameters';

export interface ExecuteOperationParams {
  operation: string;
  operationKwargs: JsonMap;
  allowKwargsOverride: boolean;
  runByDependencyOrder: boolean;
  filters: JsonMap;
}

/** Each instance's task or subgraph waits for those of its relationship targets. */
function orderByDependencies(ctx: WorkflowContext, graph: TaskGraph, tasks: Map<string, Task>) {
  for (const instance of ctx.nodeInstances) {
    if (!tasks.has(instance.id)) tasks.set(instance.id, graph.subgraph(instance.id));
  }
  for (const instance of ctx.nodeInstances) {
    for (const rel of instance.relationships) {
      const source = tasks.get(instance.id);
      const target = tasks.get(rel.targetId);
      if (source && target) graph.addDependency(source, target);
    }
  }
}

/** The graph `execute_operation_<op>`: per instance that has the operation, events around it. */
export async function runOperationOnInstances(ctx: WorkflowContext, p: ExecuteOperationParams) {
  const { graph } = await ctx.makeOrGetGraph(`execute_operation_${p.operation}`, (g) => {
    const subgraphs = new Map<string, Task>();
    const hasKwargs = Object.keys(p.operationKwargs).length > 0;
    const startText = hasKwargs
      ? `Starting operation ${p.operation} (Operation parameters: ${JSON.stringify(p.operationKwargs)})`
      : `Starting operation ${p.operation}`;
    for (const instance of filterInstances(ctx, p.filters)) {
      if (!instance.node.hasOperation(p.operation)) continue;
      const subgraph = g.subgraph(instance.id);
      g.within(subgraph)
        .sequence()
        .add(
          instance.sendEvent(startText),
          instance.executeOperation(p.operation, {
            kwargs: p.operationKwargs,
            allowKwargsOverride: p.allowKwargsOverride,
          }),
          instance.sendEvent(`Finished operation ${p.operation}`),
        );
      subgraphs.set(instance.id, subgraph);
    }
    if (p.runByDependencyOrder) orderByDependencies(ctx, g, subgraphs);
  });
  await ctx.executeGraph(graph);
}

export async function executeOperation(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const operation = params.operation;
  if (typeof operation !== 'string' || !operation) {
    throw new Error('execute_operation: the `operation` parameter is required');
  }
  await runOperationOnInstances(ctx, {
    operation,
    operationKwargs: map(params.operation_kwargs),
    allowKwargsOverride: bool(params.allow_kwargs_override, false),
    runByDependencyOrder: bool(params.run_by_dependency_order, false),
    filters: params,
  });
}

function lifecycleOperation(name: string, kwargsParam: string) {
  return async (ctx: WorkflowContext, params: JsonMap): Promise<void> => {
    await runOperationOnInstances(ctx, {
      operation: `cloudify.interfaces.lifecycle.${name}`,
      operationKwargs: map(params[kwargsParam]),
      allowKwargsOverride: true,
      runByDependencyOrder: bool(params.run_by_dependency_order, true),
      filters: params,
    });
  };
}

export const start = lifecycleOperation('start', 'operation_parms');
export const stop = lifecycleOperation('stop', 'operation_parms');
export const pull = lifecycleOperation('pull', 'operation_parms');

export async function restart(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  await stop(ctx, { ...params, operation_parms: map(params.stop_parms) });
  await start(ctx, { ...params, operation_parms: map(params.start_parms) });
}

const CHECK_STATUS_OP = 'cloudify.interfaces.validation.check_status';

/** The `check_status` graph; its handlers write `system_properties.status`. */
export async function runCheckStatus(
  ctx: WorkflowContext,
  params: JsonMap,
  ignoreFailure: boolean,
): Promise<void> {
  const { graph } = await ctx.makeOrGetGraph('check_status', (g) => {
    const tasks = new Map<string, Task>();
    for (const instance of filterInstances(ctx, params)) {
      const task = instance.executeOperation(CHECK_STATUS_OP);
      task.info = { instance_id: instance.id };
      if (task instanceof RemoteOperationTask) {
        // Status checks are not retried unless the blueprint says so.
        if (instance.node.operations[CHECK_STATUS_OP]?.max_retries == null) {
          task.totalRetries = 0;
          task.cloudifyContext.operation.max_retries = 0;
        }
        task.onSuccess = handlerRef(CHECK_STATUS_SUCCESS, { instance_id: instance.id });
        task.onFailure = handlerRef(
          ignoreFailure ? CHECK_STATUS_FAILURE_IGNORED : CHECK_STATUS_FAILURE,
          { instance_id: instance.id },
        );
      }
      g.addTask(task);
      tasks.set(instance.id, task);
    }
    if (bool(params.run_by_dependency_order, false)) orderByDependencies(ctx, g, tasks);
  });
  await ctx.executeGraph(graph);
}

export async function checkStatus(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  await runCheckStatus(ctx, params, false);
}

const CHECK_DRIFT_OP = 'cloudify.interfaces.lifecycle.check_drift';
const RELATIONSHIP_CHECK_DRIFT_OP = 'cloudify.interfaces.relationship_lifecycle.check_drift';

/** A check_drift task whose handlers record its answer (see recordDrift). */
function driftTask(task: Task, args: JsonMap): Task {
  task.onSuccess = handlerRef(CHECK_DRIFT_SUCCESS, args);
  task.onFailure = handlerRef(CHECK_DRIFT_FAILURE, args);
  return task;
}

/**
 * `check_drift`: per selected instance, its `check_drift` operation and those of its
 * relationships (source and target side), in a subgraph per instance — by default targets first.
 */
export async function checkDrift(ctx: WorkflowContext, params: JsonMap): Promise<void> {
  const { graph } = await ctx.makeOrGetGraph('check_drift', (g) => {
    const subgraphs = new Map<string, Task>();
    for (const instance of filterInstances(ctx, params)) {
      const tasks: Task[] = [];
      if (instance.node.hasOperation(CHECK_DRIFT_OP)) {
        tasks.push(
          driftTask(instance.executeOperation(CHECK_DRIFT_OP), { instance_id: instance.id }),
        );
      }
      for (const rel of instance.relationships) {
        const source = rel.executeSourceOperation(RELATIONSHIP_CHECK_DRIFT_OP);
        const target = rel.executeTargetOperation(RELATIONSHIP_CHECK_DRIFT_OP);
        if (!source.isNop()) {
          tasks.push(
            driftTask(source, { instance_id: instance.id, side: 'source', other_id: rel.targetId }),
          );
        }
        if (!target.isNop()) {
          tasks.push(
            driftTask(target, { instance_id: rel.targetId, side: 'target', other_id: instance.id }),
          );
        }
      }
      if (!tasks.length) continue;
      const subgraph = g.subgraph(instance.id);
      const within = g.within(subgraph);
      for (const task of tasks) within.addTask(task);
      subgraphs.set(instance.id, subgraph);
    }
    if (bool(params.run_by_dependency_order, true)) orderByDependencies(ctx, g, subgraphs);
  });
  await ctx.executeGraph(graph);
}

export type { SubgraphTask };
