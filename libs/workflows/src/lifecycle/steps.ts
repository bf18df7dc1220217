import { Parallel, parallel, SubgraphBuilder, TaskGraph } from '../engine/task-graph';
import type { SubgraphTask, Task } from '../engine/tasks';
import type { WfNodeInstance } from '../context/model';

export type Step = Task | Parallel;

/** Where a lifecycle subgraph is created: the graph itself or an enclosing subgraph. */
export interface GraphScope {
  graph: TaskGraph;
  subgraph(name: string): SubgraphTask;
}

export function scopeOf(target: TaskGraph | SubgraphBuilder): GraphScope {
  if (target instanceof TaskGraph) {
    return { graph: target, subgraph: (name) => target.subgraph(name) };
  }
  return { graph: target.graph, subgraph: (name) => target.subgraph(name) };
}

/** `pre · task · post`, or nothing when the task does nothing (unmapped operation). */
export function skipNop(task: Task | null, pre: Step[] = [], post: Step[] = []): Step[] {
  if (!task || task.isNop()) return [];
  return [...pre, task, ...post];
}

/** A state change and a node event in parallel. */
export function stateAndEvent(instance: WfNodeInstance, state: string, text: string): Parallel {
  return parallel(instance.setState(state), instance.sendEvent(text));
}

export function eventAndState(instance: WfNodeInstance, text: string, state: string): Parallel {
  return parallel(instance.sendEvent(text), instance.setState(state));
}

/** Runs operations only defined on newer types when the node defines them. */
export function optionalOperation(
  instance: WfNodeInstance,
  operation: string,
  pre: string,
  post: string,
): Step[] {
  if (!instance.node.hasOperation(operation)) return [];
  return skipNop(
    instance.executeOperation(operation),
    [instance.sendEvent(pre)],
    [instance.sendEvent(post)],
  );
}
