import { handlerRef } from '../engine/handlers';
import { TaskGraph, TaskSequence } from '../engine/task-graph';
import { dumpTask } from '../engine/task-store';
import { RemoteOperationTask, SubgraphTask, Task } from '../engine/tasks';
import type { WfNodeInstance, WfRelationship } from '../context/model';
import type { WorkflowContext } from '../context/workflow-context';
import {
  IGNORE_SUBGRAPH_FAILURE,
  IGNORE_TASK_FAILURE,
  SEND_NODE_EVENT_ON_ERROR,
} from './handler-names';
import {
  healInstanceSubgraph,
  hostPreStop,
  installInstanceSubgraph,
  relationshipOperations,
  rollbackInstanceSubgraph,
  uninstallInstanceSubgraph,
} from './instance-subgraphs';
import { GraphScope, scopeOf, skipNop, Step } from './steps';

type SubgraphFactory = (scope: GraphScope, instance: WfNodeInstance) => SubgraphTask | null;

export interface LifecycleOptions {
  /** Instances the workflow acts on. */
  instances: Iterable<WfNodeInstance>;
  /** Instances left as they are ("intact"): stubs that keep ordering through them. */
  related?: Iterable<WfNodeInstance>;
  ignoreFailure?: boolean;
  /** Prefix of the stored graph's name (`reinstall-`, …). */
  namePrefix?: string;
  /** The stored graph's whole name, when not `<prefix><kind>` (e.g. `uninstall-a`). */
  graphName?: string;
}

/**
 * Builds and runs lifecycle graphs over a set of instances: one subgraph per instance, ordered
 * along relationships (targets first on install, sources first on uninstall), with intact
 * instances as stubs that carry establish/unlink operations toward changed instances.
 */
export class LifecycleProcessor {
  private readonly instances: Map<string, WfNodeInstance>;
  private readonly intact: Map<string, WfNodeInstance>;
  private readonly ignoreFailure: boolean;
  private readonly prefix: string;
  private readonly graphName: string | undefined;

  constructor(
    private readonly ctx: WorkflowContext,
    options: LifecycleOptions,
  ) {
    this.instances = new Map([...options.instances].map((i) => [i.id, i]));
    this.intact = new Map(
      [...(options.related ?? [])].filter((i) => !this.instances.has(i.id)).map((i) => [i.id, i]),
    );
    this.ignoreFailure = options.ignoreFailure ?? false;
    this.prefix = options.namePrefix ?? '';
    this.graphName = options.graphName;
  }

  private name(kind: string): string {
    return this.graphName ?? `${this.prefix}${kind}`;
  }

  async install(): Promise<void> {
    const dryRun = this.ctx.dryRun;
    const { graph, restored } = await this.ctx.makeOrGetGraph(this.name('install'), (g) =>
      this.build(g, (scope, i) => installInstanceSubgraph(scope, i, dryRun), true, 'establish'),
    );
    if (restored && this.ctx.resume) await this.addResumeCleanup(graph);
    await this.ctx.executeGraph(graph);
  }

  async uninstall(): Promise<void> {
    const ignore = this.ignoreFailure;
    const { graph } = await this.ctx.makeOrGetGraph(this.name('uninstall'), (g) =>
      this.build(g, (scope, i) => uninstallInstanceSubgraph(scope, i, ignore), false, 'unlink'),
    );
    await this.ctx.executeGraph(graph);
  }

  async rollback(): Promise<void> {
    const ignore = this.ignoreFailure;
    const { graph } = await this.ctx.makeOrGetGraph(this.name('rollback'), (g) =>
      this.build(g, (scope, i) => rollbackInstanceSubgraph(scope, i, ignore), false, 'unlink'),
    );
    await this.ctx.executeGraph(graph);
  }

  async heal(): Promise<void> {
    const { graph } = await this.ctx.makeOrGetGraph(this.name('heal'), (g) => {
      const subgraphs = this.subgraphs(g, (scope, i) => healInstanceSubgraph(scope, i));
      this.addDependencies(g, subgraphs, this.instances.values(), true);
    });
    await this.ctx.executeGraph(graph);
  }

  /** Builds the graph without running it (for tests and custom workflows). */
  buildInstall(graph: TaskGraph): void {
    const dryRun = this.ctx.dryRun;
    this.build(graph, (scope, i) => installInstanceSubgraph(scope, i, dryRun), true, 'establish');
  }

  private subgraphs(graph: TaskGraph, factory: SubgraphFactory): Map<string, SubgraphTask> {
    const scope = scopeOf(graph);
    const subgraphs = new Map<string, SubgraphTask>();
    for (const instance of this.instances.values()) {
      subgraphs.set(instance.id, factory(scope, instance) ?? graph.subgraph(`stub_${instance.id}`));
    }
    for (const instance of this.intact.values()) {
      subgraphs.set(instance.id, graph.subgraph(`stub_${instance.id}`));
    }
    return subgraphs;
  }

  private build(
    graph: TaskGraph,
    factory: SubgraphFactory,
    install: boolean,
    intactOp: 'establish' | 'unlink',
  ): void {
    const subgraphs = this.subgraphs(graph, factory);
    this.addDependencies(graph, subgraphs, this.instances.values(), install);
    const operation = `cloudify.interfaces.relationship_lifecycle.${intactOp}`;
    const sequences = new Map<string, TaskSequence>();
    this.addDependencies(graph, subgraphs, this.intact.values(), install, (instance, rel) => {
      if (!this.instances.has(rel.targetId)) return;
      let sequence = sequences.get(instance.id);
      if (!sequence) {
        sequence = graph.within(subgraphs.get(instance.id) as SubgraphTask).sequence();
        sequences.set(instance.id, sequence);
      }
      for (const task of relationshipOperations(rel, operation)) {
        // Unlinking from a removed target is best effort.
        if (!install)
          task.onFailure = handlerRef(SEND_NODE_EVENT_ON_ERROR, { instance_id: instance.id });
        sequence.add(task);
      }
    });
  }

  private addDependencies(
    graph: TaskGraph,
    subgraphs: Map<string, SubgraphTask>,
    instances: Iterable<WfNodeInstance>,
    install: boolean,
    onAdded?: (instance: WfNodeInstance, rel: WfRelationship) => void,
  ): void {
    for (const instance of instances) {
      const rels = install ? instance.relationships : [...instance.relationships].reverse();
      for (const rel of rels) {
        if (!this.instances.has(rel.targetId) && !this.intact.has(rel.targetId)) continue;
        const source = subgraphs.get(instance.id);
        const target = subgraphs.get(rel.targetId);
        if (!source || !target) continue;
        const operation = rel.properties.operation;
        const op = typeof operation === 'string' ? operation : null;
        if (install) this.dependOn(graph, source, target, op, rel.targetId);
        else this.dependOn(graph, target, source, op, instance.id);
        onAdded?.(instance, rel);
      }
    }
  }

  /**
   * `source` waits for `target`; with a relationship `operation` property, only for the tasks
   * that follow the target's `cloudify.interfaces.lifecycle.<operation>`.
   */
  private dependOn(
    graph: TaskGraph,
    source: SubgraphTask,
    target: SubgraphTask,
    operation: string | null,
    targetInstanceId: string,
  ): void {
    if (!operation) {
      graph.addDependency(source, target);
      return;
    }
    const name = `cloudify.interfaces.lifecycle.${operation}`;
    for (const task of target.children.values()) {
      if (!(task instanceof RemoteOperationTask)) continue;
      if (task.operationName !== name || task.cloudifyContext.node_id !== targetInstanceId)
        continue;
      for (const after of task.dependents) graph.addDependency(source, after);
      return;
    }
  }

  /**
   * On a resumed install, an instance left `creating` (or `starting`) whose create (or start)
   * will be sent again is first cleaned up, in a subgraph whose failures are ignored.
   */
  private async addResumeCleanup(graph: TaskGraph): Promise<void> {
    const added: Task[] = [];
    for (const task of graph.liveTasks()) {
      if (!(task instanceof SubgraphTask) || !task.name.startsWith('install_')) continue;
      const instance = this.ctx.getNodeInstance(task.name.slice('install_'.length));
      if (!instance) continue;
      const steps: Step[] = [];
      if (
        instance.state === 'starting' &&
        wouldResend(task, 'cloudify.interfaces.lifecycle.start')
      ) {
        steps.push(...preResumeStop(instance));
      }
      if (
        instance.state === 'creating' &&
        wouldResend(task, 'cloudify.interfaces.lifecycle.create')
      ) {
        steps.push(...preResumeUninstall(instance));
      }
      if (steps.length === 0) continue;
      const cleanup = graph.subgraph(`resume_cleanup_${instance.id}`);
      graph
        .within(cleanup)
        .sequence()
        .add(
          instance.sendEvent('Rolling back prior to resuming install'),
          ...steps,
          instance.sendEvent('Finished rolling back, now resuming install'),
        );
      for (const child of cleanup.children.values()) {
        child.onFailure = handlerRef(
          child.isSubgraph ? IGNORE_SUBGRAPH_FAILURE : IGNORE_TASK_FAILURE,
        );
      }
      for (const dependency of task.dependencies) graph.addDependency(cleanup, dependency);
      graph.addDependency(task, cleanup);
      added.push(cleanup, ...cleanup.children.values());
    }
    if (graph.id && added.length > 0) {
      await this.ctx.ports.graphs.addOperations(graph.id, added.map(dumpTask));
    }
  }
}

function wouldResend(subgraph: SubgraphTask, operation: string): boolean {
  for (const task of subgraph.children.values()) {
    if (task instanceof RemoteOperationTask && task.operationName === operation) {
      return task.state === 'pending';
    }
  }
  return false;
}

function preResumeUninstall(instance: WfNodeInstance): Step[] {
  const del = skipNop(
    instance.executeOperation('cloudify.interfaces.lifecycle.delete'),
    [instance.sendEvent('Deleting node instance')],
    [instance.sendEvent('Deleted node instance')],
  );
  const postdelete = instance.node.hasOperation('cloudify.interfaces.lifecycle.postdelete')
    ? skipNop(
        instance.executeOperation('cloudify.interfaces.lifecycle.postdelete'),
        [instance.sendEvent('Postdeleting node instance')],
        [instance.sendEvent('Node instance postdeleted')],
      )
    : [];
  return [...del, ...postdelete];
}

function preResumeStop(instance: WfNodeInstance): Step[] {
  const prestop = instance.node.hasOperation('cloudify.interfaces.lifecycle.prestop')
    ? skipNop(
        instance.executeOperation('cloudify.interfaces.lifecycle.prestop'),
        [instance.sendEvent('Prestopping node instance')],
        [instance.sendEvent('Node instance prestopped')],
      )
    : [];
  const stop = skipNop(
    instance.executeOperation('cloudify.interfaces.lifecycle.stop'),
    [],
    [instance.sendEvent('Stopped node instance')],
  );
  return [...prestop, ...(instance.isCompute ? hostPreStop(instance) : []), ...stop];
}

/** Installs instances (`related` stay as they are but keep the ordering). */
export async function installNodeInstances(ctx: WorkflowContext, options: LifecycleOptions) {
  await new LifecycleProcessor(ctx, options).install();
}

export async function uninstallNodeInstances(ctx: WorkflowContext, options: LifecycleOptions) {
  await new LifecycleProcessor(ctx, options).uninstall();
}

export async function rollbackNodeInstances(ctx: WorkflowContext, options: LifecycleOptions) {
  await new LifecycleProcessor(ctx, { ignoreFailure: true, ...options }).rollback();
}

export async function healNodeInstances(ctx: WorkflowContext, options: LifecycleOptions) {
  await new LifecycleProcessor(ctx, options).heal();
}

/** Uninstalls then installs again (graphs `reinstall-uninstall`, `reinstall-install`). */
export async function reinstallNodeInstances(ctx: WorkflowContext, options: LifecycleOptions) {
  await uninstallNodeInstances(ctx, { ...options, namePrefix: 'reinstall-' });
  await ctx.refreshNodeInstances();
  const fresh = (list: Iterable<WfNodeInstance> | undefined) =>
    [...(list ?? [])]
      .map((i) => ctx.getNodeInstance(i.id))
      .filter((i): i is WfNodeInstance => i !== undefined);
  await installNodeInstances(ctx, {
    ...options,
    instances: fresh(options.instances),
    related: fresh(options.related),
    namePrefix: 'reinstall-',
  });
}
