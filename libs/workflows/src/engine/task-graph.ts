import type { RetryConfig } from './tasks';
import { SubgraphTask, Task } from './tasks';

/** Tasks to run in parallel inside a sequence (Cloudify's `forkjoin`). */
export class Parallel {
  readonly tasks: Task[];
  constructor(tasks: Task[]) {
    this.tasks = tasks;
  }
}

export function parallel(...tasks: Task[]): Parallel {
  return new Parallel(tasks);
}

/** Where tasks are added: the graph itself or one of its subgraphs. */
export interface TaskContainer {
  addTask(task: Task): void;
}

/** Chains tasks: each step waits for every task of the step before. */
export class TaskSequence {
  private last: Task[] | null = null;

  constructor(
    private readonly container: TaskContainer,
    private readonly graph: TaskGraph,
  ) {}

  add(...steps: (Task | Parallel | null | undefined)[]): this {
    for (const step of steps) {
      if (!step) continue;
      const tasks = step instanceof Parallel ? step.tasks : [step];
      for (const task of tasks) {
        this.container.addTask(task);
        if (this.last) for (const previous of this.last) this.graph.addDependency(task, previous);
      }
      if (tasks.length > 0) this.last = tasks;
    }
    return this;
  }
}

/**
 * A DAG of tasks: `addDependency(a, b)` makes a wait until b has terminated. Subgraphs are tasks
 * whose children depend on them. Ready tasks (no dependencies left) are tracked as they appear.
 */
export class TaskGraph implements TaskContainer {
  readonly tasks = new Map<string, Task>();
  /** Tasks with no dependencies left, in the order they became ready. */
  readonly ready = new Set<Task>();
  /** Stored graph id once persisted. */
  id: string | null = null;

  constructor(readonly subgraphRetry: RetryConfig) {}

  get size(): number {
    return this.tasks.size;
  }

  getTask(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  has(task: Task): boolean {
    return task.owner === this;
  }

  addTask(task: Task): void {
    if (this.has(task)) return;
    this.tasks.set(task.id, task);
    task.owner = this;
    if (task.dependencies.size === 0) this.ready.add(task);
  }

  /** `source` waits for `target`. */
  addDependency(source: Task, target: Task): void {
    if (source === target) return;
    if (!this.has(source)) throw new Error(`Task not in graph: ${source.name} (${source.id})`);
    if (!this.has(target)) throw new Error(`Task not in graph: ${target.name} (${target.id})`);
    source.dependencies.add(target);
    target.dependents.add(source);
    this.ready.delete(source);
  }

  removeDependency(source: Task, target: Task): void {
    source.dependencies.delete(target);
    target.dependents.delete(source);
    if (source.dependencies.size === 0 && this.has(source)) this.ready.add(source);
  }

  /** Removes a task (and a subgraph's children); its dependents lose it as a dependency. */
  removeTask(task: Task): void {
    if (task instanceof SubgraphTask) {
      for (const child of [...task.children.values()]) this.removeTask(child);
    }
    if (!this.has(task)) return;
    this.tasks.delete(task.id);
    task.owner = null;
    this.ready.delete(task);
    for (const dependent of task.dependents) {
      dependent.dependencies.delete(task);
      if (dependent.dependencies.size === 0 && this.has(dependent)) this.ready.add(dependent);
    }
    task.dependents.clear();
    for (const dependency of task.dependencies) dependency.dependents.delete(task);
    task.dependencies.clear();
  }

  sequence(): TaskSequence {
    return new TaskSequence(this, this);
  }

  subgraph(name: string): SubgraphTask {
    const subgraph = new SubgraphTask(name, this.subgraphRetry);
    this.addTask(subgraph);
    return subgraph;
  }

  /** Adds `task` to `subgraph`: it waits for the subgraph to start. */
  addToSubgraph(subgraph: SubgraphTask, task: Task): void {
    if (task.containingSubgraph && task.containingSubgraph !== subgraph) {
      throw new Error(
        `task ${task.name}[${task.id}] cannot be contained in more than one subgraph. ` +
          `It is currently contained in ${task.containingSubgraph.name} and it is now being added to ${subgraph.name}`,
      );
    }
    this.addTask(task);
    this.addDependency(task, subgraph);
    subgraph.children.set(task.id, task);
    task.containingSubgraph = subgraph;
  }

  /** A subgraph view that adds into `subgraph`. */
  within(subgraph: SubgraphTask): SubgraphBuilder {
    return new SubgraphBuilder(this, subgraph);
  }

  /** Drops tasks that do nothing (NOPs, empty subgraphs), re-linking around them. */
  optimize(): void {
    // Children before their subgraphs, so a subgraph of NOPs is seen empty once they are gone.
    const removable = [...this.tasks.values()].filter((task) => task.isNop());
    for (const task of removable) {
      if (!this.has(task)) continue;
      const dependents = [...task.dependents];
      const dependencies = [...task.dependencies];
      task.containingSubgraph?.children.delete(task.id);
      this.removeTask(task);
      for (const dependent of dependents) {
        if (!this.has(dependent)) continue;
        for (const dependency of dependencies) {
          if (this.has(dependency)) this.addDependency(dependent, dependency);
        }
      }
    }
  }

  /** Tasks in an order where every task comes after its dependencies (for tests and logs). */
  linearize(): Task[] {
    const remaining = new Map<Task, number>();
    const ordered: Task[] = [];
    let frontier: Task[] = [];
    for (const task of this.tasks.values()) {
      remaining.set(task, task.dependencies.size);
      if (task.dependencies.size === 0) frontier.push(task);
    }
    while (frontier.length > 0) {
      const next: Task[] = [];
      for (const task of frontier) {
        ordered.push(task);
        for (const dependent of task.dependents) {
          const left = (remaining.get(dependent) ?? 0) - 1;
          remaining.set(dependent, left);
          if (left === 0) next.push(dependent);
        }
      }
      frontier = next;
    }
    return ordered;
  }
}

/** Adds tasks and nested subgraphs into one subgraph of a graph. */
export class SubgraphBuilder implements TaskContainer {
  constructor(
    readonly graph: TaskGraph,
    readonly task: SubgraphTask,
  ) {}

  addTask(task: Task): void {
    this.graph.addToSubgraph(this.task, task);
  }

  sequence(): TaskSequence {
    return new TaskSequence(this, this.graph);
  }

  subgraph(name: string): SubgraphTask {
    const child = new SubgraphTask(name, this.graph.subgraphRetry);
    this.addTask(child);
    return child;
  }
}
