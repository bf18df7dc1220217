import type { JsonMap, StoredGraph, StoredOperation } from '../ports';
import type { RetryConfig } from './tasks';
import {
  GetNodeInstanceStateTask,
  LocalFunctionTask,
  NopTask,
  OperationContextData,
  RemoteOperationTask,
  SendNodeEventTask,
  SendWorkflowEventTask,
  SetNodeInstanceStateTask,
  SubgraphTask,
  Task,
  TERMINAL_STATES,
} from './tasks';
import { TaskGraph } from './task-graph';

/** The stored form of a task (workflows.md §3.5). */
export function dumpTask(task: Task): StoredOperation {
  const dependencies: string[] = [];
  for (const dependency of task.dependencyLinks) dependencies.push(dependency.id);
  return {
    id: task.id,
    name: task.name,
    type: task.type,
    state: task.state,
    dependencies,
    parameters: {
      task_kwargs: task.taskKwargs,
      current_retries: task.currentRetries,
      total_retries: task.totalRetries,
      retry_interval: task.retryInterval,
      send_task_events: task.sendTaskEvents,
      info: task.info,
      error: (task.error as unknown as JsonMap) ?? null,
      containing_subgraph: task.containingSubgraph?.id ?? null,
      on_success: task.onSuccess,
      on_failure: task.onFailure,
      retried_task: task.retriedTask,
    },
  };
}

function createTask(op: StoredOperation, subgraphRetry: RetryConfig): Task {
  const params = op.parameters;
  const kwargs = params.task_kwargs ?? {};
  const retry = { totalRetries: params.total_retries, retryInterval: params.retry_interval };
  switch (op.type) {
    case 'RemoteWorkflowTask': {
      const stored = structuredClone(kwargs.kwargs as JsonMap);
      return new RemoteOperationTask(
        stored as JsonMap & { __cloudify_context: OperationContextData },
        retry,
        op.id,
      );
    }
    case 'SubgraphTask': {
      const info = params.info as JsonMap | null;
      const name = typeof info?.name === 'string' ? info.name : op.name;
      return new SubgraphTask(name, { ...subgraphRetry, ...retry }, op.id);
    }
    case 'SetNodeInstanceStateTask':
      return new SetNodeInstanceStateTask(kwargs as SetNodeInstanceStateTask['kwargs'], op.id);
    case 'GetNodeInstanceStateTask':
      return new GetNodeInstanceStateTask(kwargs as GetNodeInstanceStateTask['kwargs'], op.id);
    case 'SendNodeEventTask':
      return new SendNodeEventTask(kwargs as SendNodeEventTask['kwargs'], op.id);
    case 'SendWorkflowEventTask':
      return new SendWorkflowEventTask(kwargs as SendWorkflowEventTask['kwargs'], op.id);
    case 'NOPLocalWorkflowTask':
      return new NopTask(op.id);
    default:
      // Local functions are not persisted: a resumed one does nothing (as in Cloudify).
      return new LocalFunctionTask(null, op.name, {}, retry, op.id);
  }
}

export function restoreTask(op: StoredOperation, subgraphRetry: RetryConfig): Task {
  const task = createTask(op, subgraphRetry);
  const params = op.parameters;
  task.currentRetries = params.current_retries;
  task.sendTaskEvents = params.send_task_events;
  if (params.info && typeof params.info === 'object' && !Array.isArray(params.info)) {
    task.info = { ...(params.info as JsonMap) };
  }
  task.onSuccess = params.on_success as Task['onSuccess'];
  task.onFailure = params.on_failure as Task['onFailure'];
  task.retriedTask = params.retried_task;
  return task;
}

/**
 * Rebuilds a stored graph for a resume: terminal tasks are skipped, the rest re-created under
 * their (re-opened) subgraphs, which they wait for, and a dependency on a retried task follows
 * the retry chain to the latest retry.
 */
export function restoreGraph(stored: StoredGraph, subgraphRetry: RetryConfig): TaskGraph {
  const graph = new TaskGraph(subgraphRetry);
  graph.id = stored.id;
  const byId = new Map(stored.operations.map((op) => [op.id, op]));
  const restored = new Map<string, Task>();
  const restoreOnce = (op: StoredOperation): Task => {
    let task = restored.get(op.id);
    if (!task) {
      task = restoreTask(op, subgraphRetry);
      restored.set(op.id, task);
      graph.addTask(task);
    }
    return task;
  };
  for (const op of stored.operations) {
    if (TERMINAL_STATES.has(op.state) || restored.has(op.id)) continue;
    let task = restoreOnce(op);
    let parentId = op.parameters.containing_subgraph;
    while (parentId) {
      const parentOp = byId.get(parentId);
      if (!parentOp) break;
      const parent = restoreOnce(parentOp) as SubgraphTask;
      parent.children.set(task.id, task);
      task.containingSubgraph = parent;
      // A child waits for its subgraph to start, as when built. A retry was stored without that
      // dependency (its subgraph had started): without it, it would run at once and again when
      // the subgraph starts and releases its children.
      graph.addDependency(task, parent);
      task = parent;
      parentId = parentOp.parameters.containing_subgraph;
    }
  }
  const retriedBy = new Map<string, string>();
  for (const op of stored.operations) {
    if (op.parameters.retried_task) retriedBy.set(op.parameters.retried_task, op.id);
  }
  const latest = (id: string): Task | undefined => {
    let at = id;
    for (let next = retriedBy.get(at); next; next = retriedBy.get(at)) at = next;
    return restored.get(at);
  };
  for (const op of stored.operations) {
    const task = restored.get(op.id);
    if (!task) continue;
    for (const dependencyId of op.dependencies) {
      const target = restored.get(dependencyId) ?? latest(dependencyId);
      if (target && target !== task) graph.addDependency(task, target);
    }
  }
  return graph;
}
