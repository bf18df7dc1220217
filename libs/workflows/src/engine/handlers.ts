import type { JsonMap } from '../ports';
import type { TaskGraph } from './task-graph';
import type { HandlerRef, SubgraphTask, Task } from './tasks';

export type HandlerAction = 'cont' | 'retry' | 'fail' | 'ignore';

/** What a task's on_success / on_failure handler decides. */
export interface HandlerResult {
  action: HandlerAction;
  ignoreTotalRetries?: boolean;
  /** Seconds; default the task's retry_interval. */
  retryAfter?: number | null;
  /** The task that replaces the terminated one (a subgraph handler builds its own). */
  retriedTask?: Task;
}

export const HandlerResults = {
  cont: (): HandlerResult => ({ action: 'cont' }),
  fail: (): HandlerResult => ({ action: 'fail' }),
  ignore: (): HandlerResult => ({ action: 'ignore' }),
  retry: (options: Omit<HandlerResult, 'action'> = {}): HandlerResult => ({
    action: 'retry',
    ...options,
  }),
};

/** What a handler may use: the graph being run and the workflow context that built it. */
export interface HandlerEnv {
  graph: TaskGraph;
  /** The WorkflowContext (typed by the handlers that need it; the engine does not know it). */
  workflow: unknown;
  /** Fails a running subgraph now, naming the task that caused it (nested-subgraph handlers). */
  failSubgraph(subgraph: SubgraphTask, failedTask: Task | null): void;
}

export type TaskHandler = (
  task: Task,
  args: JsonMap,
  env: HandlerEnv,
) => HandlerResult | Promise<HandlerResult>;

/**
 * Handlers by name, so that a stored graph's `on_success` / `on_failure` (`{ path, ...args }`)
 * can be called again after a resume. Plugins register theirs next to the built-in ones.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, TaskHandler>();

  register(path: string, handler: TaskHandler): this {
    this.handlers.set(path, handler);
    return this;
  }

  has(path: string): boolean {
    return this.handlers.has(path);
  }

  async call(ref: HandlerRef, task: Task, env: HandlerEnv): Promise<HandlerResult> {
    const handler = this.handlers.get(ref.path);
    if (!handler) throw new Error(`Unknown task handler: ${ref.path}`);
    const args: JsonMap = { ...ref };
    delete args.path;
    return handler(task, args, env);
  }
}

/** A handler reference with its arguments. */
export function handlerRef(path: string, args: JsonMap = {}): HandlerRef {
  return { path, ...args };
}

export const FAIL_HANDLER = 'cloudify.workflows.tasks_graph._on_failure_handler_fail';
export const IGNORE_HANDLER = 'nestify.workflows.ignore_failure';

/** The handlers the engine itself relies on. */
export function registerEngineHandlers(registry: HandlerRegistry): void {
  registry.register(FAIL_HANDLER, () => HandlerResults.fail());
  registry.register(IGNORE_HANDLER, () => HandlerResults.ignore());
}
