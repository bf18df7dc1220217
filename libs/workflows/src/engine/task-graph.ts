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
 *
 * Membership is the task's `owner`; the graph keeps its tasks in an array in the order they were
 * added (removed ones are skipped and compacted away), and builds the id map of `tasks` only
 * when asked: a graph of 100,000 tasks is built and run without hashing any of their ids.
 */
export class TaskGraph implements TaskContainer {
  /** Stored graph id once persisted. */
  id: string | null = null;
  /** Tasks added, in order; a slot is live while its task's owner is this graph. */
  private members: Task[] = [];
  private liveCount = 0;
  private tasksById: Map<string, Task> | null = null;
  private readonly readyTasks = new Set<Task>();
  /** Tasks added without dependencies that may still get some (checked when `ready` is read). */
  private readyCandidates: Task[] = [];

  constructor(readonly subgraphRetry: RetryConfig) {}

  /** The tasks in the graph by id, in the order they were added (a read-only view). */
  get tasks(): ReadonlyMap<string, Task> {
    if (!this.tasksById) {
      this.tasksById = new Map();
      for (const task of this.liveTasks()) this.tasksById.set(task.id, task);
    }
    return this.tasksById;
  }

  /** Tasks with no dependencies left, in the order they became ready. */
  get ready(): Set<Task> {
    this.promoteCandidates();
    return this.readyTasks;
  }

  get size(): number {
    return this.liveCount;
  }

  getTask(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  has(task: Task): boolean {
    return task.owner === this;
  }

  /** The tasks in the graph, in the order they were added (a fresh array). */
  liveTasks(): Task[] {
    this.compact();
    return this.members.slice();
  }

  addTask(task: Task): void {
    if (this.has(task)) return;
    task.owner = this;
    task.graphIndex = this.members.length;
    this.members.push(task);
    this.liveCount++;
    this.tasksById = null;
    if (task.dependencyLinks.size === 0) this.readyCandidates.push(task);
  }

  /** `source` waits for `target`. */
  addDependency(source: Task, target: Task): void {
    if (source === target) return;
    if (!this.has(source)) throw new Error(`Task not in graph: ${source.name} (${source.id})`);
    if (!this.has(target)) throw new Error(`Task not in graph: ${target.name} (${target.id})`);
    if (!source.dependencyLinks.add(target)) return;
    target.dependentLinks.add(source);
    if (this.readyTasks.size > 0) this.readyTasks.delete(source);
  }

  removeDependency(source: Task, target: Task): void {
    this.promoteCandidates();
    source.dependencyLinks.delete(target);
    target.dependentLinks.delete(source);
    if (source.dependencyLinks.size === 0 && this.has(source)) this.markReady(source);
  }

  /** Removes a task (and a subgraph's children); its dependents lose it as a dependency. */
  removeTask(task: Task): void {
    if (task instanceof SubgraphTask && task.children.size > 0) {
      for (const child of [...task.children.values()]) this.removeTask(child);
    }
    if (!this.has(task)) return;
    this.promoteCandidates();
    task.owner = null;
    this.liveCount--;
    this.tasksById = null;
    if (this.readyTasks.size > 0) this.readyTasks.delete(task);
    for (const dependent of task.dependentLinks) {
      dependent.dependencyLinks.delete(task);
      if (dependent.dependencyLinks.size === 0 && this.has(dependent)) this.markReady(dependent);
    }
    task.dependentLinks.clear();
    for (const dependency of task.dependencyLinks) dependency.dependentLinks.delete(task);
    task.dependencyLinks.clear();
    if (this.members.length > 1024 && this.liveCount * 2 < this.members.length) this.compact();
  }

  private markReady(task: Task): void {
    this.readyTasks.add(task);
  }

  /**
   * Settles which tasks added without dependencies still have none. Done before any change that
   * can make a task ready, so the ready set keeps the order in which tasks became ready.
   */
  private promoteCandidates(): void {
    if (this.readyCandidates.length === 0) return;
    const candidates = this.readyCandidates;
    this.readyCandidates = [];
    for (const task of candidates) {
      if (task.owner === this && task.dependencyLinks.size === 0) this.readyTasks.add(task);
    }
  }

  /** Drops the slots of removed tasks (and older slots of tasks added again). */
  private compact(): void {
    if (this.members.length === this.liveCount) return;
    const live: Task[] = [];
    for (let i = 0; i < this.members.length; i++) {
      const task = this.members[i];
      if (task.owner !== this || task.graphIndex !== i) continue;
      task.graphIndex = live.length;
      live.push(task);
    }
    this.members = live;
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
    const removable = this.liveTasks().filter((task) => task.isNop());
    for (const task of removable) {
      if (!this.has(task)) continue;
      const dependents = task.dependentLinks.toArray();
      const dependencies = task.dependencyLinks.toArray();
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
    for (const task of this.liveTasks()) {
      remaining.set(task, task.dependencyLinks.size);
      if (task.dependencyLinks.size === 0) frontier.push(task);
    }
    while (frontier.length > 0) {
      const next: Task[] = [];
      for (const task of frontier) {
        ordered.push(task);
        for (const dependent of task.dependentLinks) {
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
