import { TaskGraph } from './task-graph';
import { NopTask, SendNodeEventTask, Task } from './tasks';

const event = (text: string) =>
  new SendNodeEventTask({ node_instance_id: 'i1', event: text, additional_context: null });
const names = (tasks: Iterable<Task>) =>
  [...tasks].map((task) => (task as SendNodeEventTask).kwargs.event);

describe('TaskGraph', () => {
  let graph: TaskGraph;
  beforeEach(() => (graph = new TaskGraph({ totalRetries: 0, retryInterval: 0 })));

  it('reports as ready only tasks without dependencies, in the order they became ready', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(event);
    graph.sequence().add(a, b);
    graph.addTask(c);
    graph.addTask(d);
    graph.addDependency(d, c);
    expect(names(graph.ready)).toEqual(['a', 'c']);
    graph.ready.clear();
    graph.removeTask(c);
    graph.removeTask(a);
    expect(names(graph.ready)).toEqual(['d', 'b']);
  });

  it('keeps a task added before the ready set was read ahead of tasks made ready later', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(event);
    graph.addTask(a);
    graph.addTask(b);
    graph.addDependency(b, a);
    graph.addTask(c);
    graph.removeTask(a);
    expect(names(graph.ready)).toEqual(['c', 'b']);
  });

  it('lists its tasks by id in the order added, without removed ones, re-added ones last', () => {
    const tasks = ['a', 'b', 'c'].map(event);
    tasks.forEach((task) => graph.addTask(task));
    graph.removeTask(tasks[0]);
    graph.addTask(tasks[0]);
    graph.removeTask(tasks[1]);
    expect(graph.size).toBe(2);
    expect(names(graph.tasks.values())).toEqual(['c', 'a']);
    expect(graph.getTask(tasks[2].id)).toBe(tasks[2]);
    expect(graph.getTask(tasks[1].id)).toBeUndefined();
    expect(names(graph.liveTasks())).toEqual(['c', 'a']);
  });

  it('stays consistent over many removals (compaction)', () => {
    const tasks = Array.from({ length: 5000 }, (_, i) => event(`t${i}`));
    graph.sequence().add(...tasks);
    for (let i = 0; i < 4990; i++) graph.removeTask(tasks[i]);
    expect(graph.size).toBe(10);
    expect(names(graph.liveTasks())).toEqual(names(tasks.slice(4990)));
    expect(names(graph.ready)).toEqual(['t4990']);
    expect(graph.linearize()).toEqual(tasks.slice(4990));
  });

  it('optimize drops NOPs and relinks their dependents to their dependencies', () => {
    const [a, b] = ['a', 'b'].map(event);
    const nop = new NopTask();
    graph.sequence().add(a, nop, b);
    graph.optimize();
    expect(graph.has(nop)).toBe(false);
    expect([...b.dependencies]).toEqual([a]);
    expect([...a.dependents]).toEqual([b]);
  });

  it('keeps a task in one subgraph only', () => {
    const first = graph.subgraph('first');
    const second = graph.subgraph('second');
    const task = event('x');
    graph.addToSubgraph(first, task);
    expect(() => graph.addToSubgraph(second, task)).toThrow(/more than one subgraph/);
    expect(first.children.get(task.id)).toBe(task);
  });
});
