import { DSL_ERROR_CODES, DslError } from '../errors';
import { PlanNode, PlanRelationship } from '../plan/plan-types';
import { InstanceIdAllocator } from './ids';
import { InstanceGraph, InstanceVertex } from './instance-graph';
import { PlanEntity, PlanModel, instanceCount } from './plan-model';
import { PreviousDeployment, parentKey } from './previous';
import { connectionType, isConnection } from './relationship-kinds';

/** A requested new instance count, per container instance, for a node or a group. */
export interface NodeModification {
  instances: number;
  /** Instances (or members of group instances) to remove first when scaling in. */
  removed_ids_include_hint?: string[];
  /** Instances (or members of group instances) to keep when scaling in, if possible. */
  removed_ids_exclude_hint?: string[];
}

export interface BuildOptions {
  ids: InstanceIdAllocator;
  /** Present for modifications: existing instances are kept unless scaled away. */
  previous?: PreviousDeployment;
  modifiedNodes?: Record<string, NodeModification>;
}

/**
 * Builds the instance graph of a plan: first the containment forest (every node and group
 * multiplied per instance of its container), then connected_to / depends_on relationships.
 */
export function buildDeploymentGraph(model: PlanModel, options: BuildOptions): InstanceGraph {
  const graph = new InstanceGraph();
  const builder = new ContainmentBuilder(model, graph, options);
  for (const root of model.roots) builder.place(root, null);
  connect(model, graph, options.previous);
  return graph;
}

class ContainmentBuilder {
  constructor(
    private readonly model: PlanModel,
    private readonly graph: InstanceGraph,
    private readonly options: BuildOptions,
  ) {}

  /** Creates (or keeps) the instances of `name` inside `parent`, then their contents. */
  place(name: string, parent: InstanceVertex | null): void {
    const item = this.model.get(name);
    const { kept, added } = this.plan(item, parent);
    const vertices: InstanceVertex[] = [];
    for (const id of kept) {
      vertices.push({ ...this.previousVertex(id), parent: parent?.id ?? null });
    }
    for (let i = 0; i < added; i += 1) {
      const id = this.options.ids.next(name);
      vertices.push({
        id,
        name,
        group: item.node === null,
        hostId: item.node ? this.hostId(item.node, id, parent) : null,
        parent: parent?.id ?? null,
      });
    }
    // Depth first, one instance's contents before the next instance: the order Cloudify lists
    // node instances in.
    for (const vertex of vertices) {
      this.graph.addVertex(vertex);
      if (parent && item.link) {
        this.graph.addEdge({ source: vertex.id, target: parent.id, ...item.link });
      }
      for (const child of item.children) this.place(child, vertex);
    }
  }

  /** Which existing instances stay under `parent` and how many new ones join them. */
  private plan(item: PlanEntity, parent: InstanceVertex | null): { kept: string[]; added: number } {
    const previous = this.options.previous;
    if (!previous) return { kept: [], added: instanceCount(item, 'planned_instances') };
    const existing =
      (parent === null
        ? previous.byName.get(item.name)
        : previous.byParent.get(parentKey(parent.id, item.name))) ?? [];
    const modification = this.options.modifiedNodes?.[item.name];
    if (!modification) {
      const wanted = instanceCount(item, 'current_instances');
      return { kept: existing, added: Math.max(0, wanted - existing.length) };
    }
    const total = modification.instances;
    if (!Number.isInteger(total) || total < 0) {
      throw new DslError(`New instance count of '${item.name}' must be a non-negative integer`, {
        code: DSL_ERROR_CODES.invalidInstanceCounts,
        path: ['modified_nodes', item.name, 'instances'],
      });
    }
    if (total >= existing.length) return { kept: existing, added: total - existing.length };
    return { kept: survivors(existing, total, modification, previous), added: 0 };
  }

  private previousVertex(id: string): InstanceVertex {
    const previous = this.options.previous;
    if (!previous) throw new Error('No previous deployment to keep instances from');
    return previous.graph.vertex(id);
  }

  /** The id of the instance of the node's host: itself, or the enclosing instance of that node. */
  private hostId(node: PlanNode, ownId: string, parent: InstanceVertex | null): string | null {
    if (node.host_id === null || node.host_id === undefined) return null;
    if (node.host_id === node.id) return ownId;
    for (
      let up = parent;
      up !== null;
      up = up.parent === null ? null : this.graph.vertex(up.parent)
    ) {
      if (!up.group && up.name === node.host_id) return up.id;
    }
    return null;
  }
}

/**
 * Scaling in: which of `existing` remain when only `total` may. Instances named by the include
 * hint go first, then any not named by the exclude hint, then (if still too many) any; without
 * hints the instances listed last — the newest — go first. A hint naming a member of a group
 * instance stands for that group instance.
 */
function survivors(
  existing: readonly string[],
  total: number,
  modification: NodeModification,
  previous: PreviousDeployment,
): string[] {
  const include = resolveHints(modification.removed_ids_include_hint, existing, previous);
  const exclude = resolveHints(modification.removed_ids_exclude_hint, existing, previous);
  const removed = new Set<string>();
  const toRemove = existing.length - total;
  const remove = (candidates: Iterable<string>, skip: (id: string) => boolean): void => {
    for (const id of candidates) {
      if (removed.size >= toRemove) return;
      if (!removed.has(id) && !skip(id)) removed.add(id);
    }
  };
  const newestFirst = [...existing].reverse();
  remove(include, () => false);
  remove(newestFirst, (id) => exclude.has(id));
  remove(newestFirst, () => false);
  return existing.filter((id) => !removed.has(id));
}

function resolveHints(
  hints: readonly string[] | undefined,
  existing: readonly string[],
  previous: PreviousDeployment,
): Set<string> {
  const result = new Set<string>();
  const candidates = new Set(existing);
  for (const hint of hints ?? []) {
    if (candidates.has(hint)) {
      result.add(hint);
      continue;
    }
    for (const [groupId, members] of previous.groupMembers) {
      if (candidates.has(groupId) && members.includes(hint)) result.add(groupId);
    }
  }
  return result;
}

/**
 * Adds the connected_to / depends_on relationships, in the nodes' order. all_to_all links every
 * source instance to every target instance; all_to_one links them all to one target instance —
 * the one they used before a modification, else the smallest id. When source and target share a
 * scaling group, links stay inside each instance of the innermost shared group.
 */
function connect(model: PlanModel, graph: InstanceGraph, previous?: PreviousDeployment): void {
  const instancesOf = new Map<string, string[]>();
  for (const vertex of graph.vertices()) {
    if (vertex.group) continue;
    const list = instancesOf.get(vertex.name);
    if (list) list.push(vertex.id);
    else instancesOf.set(vertex.name, [vertex.id]);
  }
  const earlierTargets = previous ? allToOneTargets(previous) : new Map<string, Set<string>>();

  for (const node of model.nodes) {
    node.relationships.forEach((relationship, index) => {
      if (!isConnection(relationship)) return;
      const kind = connectionType(node, index);
      const sources = instancesOf.get(node.id) ?? [];
      let targets = instancesOf.get(relationship.target_id) ?? [];
      if (sources.length === 0 || targets.length === 0) return;
      const sharedGroup = model.innermostSharedGroup(node.id, relationship.target_id);
      if (kind === 'all_to_one') {
        if (sharedGroup !== null) {
          throw new DslError(
            `all_to_one is not supported within groups, but '${node.id}' and ` +
              `'${relationship.target_id}' are both in group '${sharedGroup}'`,
            {
              path: [
                'node_templates',
                node.id,
                'relationships',
                index,
                'properties',
                'connection_type',
              ],
            },
          );
        }
        targets = [allToOneTarget(node, relationship, targets, earlierTargets)];
      }
      const link = (source: string, target: string): void =>
        graph.addEdge({
          source,
          target,
          type: relationship.type,
          targetName: relationship.target_id,
          index,
          replaced: false,
          groupEdge: false,
        });
      if (sharedGroup === null) {
        for (const source of sources) for (const target of targets) link(source, target);
        return;
      }
      const targetsByGroupInstance = new Map<string | null, string[]>();
      for (const target of targets) {
        const key = graph.enclosingGroupInstance(target, sharedGroup);
        const list = targetsByGroupInstance.get(key);
        if (list) list.push(target);
        else targetsByGroupInstance.set(key, [target]);
      }
      for (const source of sources) {
        const key = graph.enclosingGroupInstance(source, sharedGroup);
        for (const target of targetsByGroupInstance.get(key) ?? []) link(source, target);
      }
    });
  }
}

function allToOneKey(sourceNode: string, targetNode: string, type: string): string {
  return `${sourceNode}\0${targetNode}\0${type}`;
}

/** Targets used before the modification, per (source node, target node, relationship type). */
function allToOneTargets(previous: PreviousDeployment): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const vertex of previous.graph.vertices()) {
    for (const edge of previous.graph.outEdges(vertex.id)) {
      const key = allToOneKey(vertex.name, previous.graph.vertex(edge.target).name, edge.type);
      const set = result.get(key) ?? new Set<string>();
      set.add(edge.target);
      result.set(key, set);
    }
  }
  return result;
}

function allToOneTarget(
  node: PlanNode,
  relationship: PlanRelationship,
  targets: readonly string[],
  earlierTargets: Map<string, Set<string>>,
): string {
  const earlier = earlierTargets.get(
    allToOneKey(node.id, relationship.target_id, relationship.type),
  );
  const stillThere = [...(earlier ?? [])].filter((id) => targets.includes(id));
  if (stillThere.length > 1) {
    throw new Error(
      `Expected one target instance for the all_to_one relationship ${node.id} -> ` +
        `${relationship.target_id} (${relationship.type}), found ${stillThere.length}`,
    );
  }
  if (stillThere.length === 1) return stillThere[0];
  return targets.reduce((smallest, id) => (id < smallest ? id : smallest));
}
