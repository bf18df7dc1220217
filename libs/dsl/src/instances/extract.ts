import { PlanInstanceRelationship, PlanNodeInstance } from '../plan/plan-types';
import { InstanceEdge, InstanceGraph, InstanceVertex } from './instance-graph';

export type InstanceModificationKind = 'added' | 'removed' | 'extended' | 'reduced';

/** A node instance in a modification result; instances merely related carry no marker. */
export interface ModifiedNodeInstance extends PlanNodeInstance {
  modification?: InstanceModificationKind;
}

/**
 * Part of an instance graph: chosen vertices (in insertion order, some marked) and the edges
 * between them that matter.
 */
export class GraphSelection {
  private readonly marks = new Map<string, InstanceModificationKind | null>();
  private readonly edges = new Map<string, InstanceEdge[]>();
  private readonly edgeSet = new Set<InstanceEdge>();

  /** Adds a vertex unmarked; a vertex already there keeps its place and marker. */
  include(id: string): void {
    if (!this.marks.has(id)) this.marks.set(id, null);
  }

  mark(id: string, kind: InstanceModificationKind): void {
    this.marks.set(id, kind);
  }

  addEdge(edge: InstanceEdge): void {
    if (this.edgeSet.has(edge)) return;
    this.edgeSet.add(edge);
    const list = this.edges.get(edge.source);
    if (list) list.push(edge);
    else this.edges.set(edge.source, [edge]);
  }

  has(id: string): boolean {
    return this.marks.has(id);
  }

  entries(): IterableIterator<[string, InstanceModificationKind | null]> {
    return this.marks.entries();
  }

  outEdges(id: string): readonly InstanceEdge[] {
    return this.edges.get(id) ?? [];
  }
}

/** Every node instance of a graph with all its relationships (a fresh deployment). */
export function extractAll(graph: InstanceGraph): PlanNodeInstance[] {
  const result: PlanNodeInstance[] = [];
  for (const vertex of graph.vertices()) {
    if (vertex.group) continue;
    const relationships = sortedRelationships(graph.outEdges(vertex.id)).map((edge) =>
      relationshipOf(graph, vertex, edge),
    );
    result.push(nodeInstance(graph, vertex, relationships));
  }
  return result;
}

/**
 * The node instances of a selection, each with its selected relationships. A group member's
 * contained_in points at its real container; when that container is not in the selection it is
 * listed too, just before the member, with no relationships, so the member can be placed.
 */
export function extractSelection(
  selection: GraphSelection,
  graph: InstanceGraph,
): ModifiedNodeInstance[] {
  const result: ModifiedNodeInstance[] = [];
  const listedContainers = new Set<string>();
  for (const [id, mark] of selection.entries()) {
    const vertex = graph.vertex(id);
    if (vertex.group) continue;
    const relationships = sortedRelationships(selection.outEdges(id)).map((edge) => {
      const relationship = relationshipOf(graph, vertex, edge);
      const container = relationship.target_id;
      if (edge.replaced && !selection.has(container) && !listedContainers.has(container)) {
        listedContainers.add(container);
        result.push(nodeInstance(graph, graph.vertex(container), []));
      }
      return relationship;
    });
    const instance: ModifiedNodeInstance = nodeInstance(graph, vertex, relationships);
    if (mark) instance.modification = mark;
    result.push(instance);
  }
  return result;
}

/** Relationships in the order of the node's relationships; group links are not relationships. */
function sortedRelationships(edges: readonly InstanceEdge[]): InstanceEdge[] {
  return edges.filter((edge) => !edge.groupEdge).sort((a, b) => a.index - b.index);
}

function relationshipOf(
  graph: InstanceGraph,
  vertex: InstanceVertex,
  edge: InstanceEdge,
): PlanInstanceRelationship {
  if (edge.replaced) {
    const container = graph.container(vertex.id);
    if (container) return { type: edge.type, target_id: container.id, target_name: container.name };
  }
  return { type: edge.type, target_id: edge.target, target_name: edge.targetName };
}

function nodeInstance(
  graph: InstanceGraph,
  vertex: InstanceVertex,
  relationships: PlanInstanceRelationship[],
): PlanNodeInstance {
  const instance: PlanNodeInstance = {
    id: vertex.id,
    name: vertex.name,
    node_id: vertex.name,
    host_id: vertex.hostId,
    relationships,
  };
  const groups = graph.groupInstances(vertex.id);
  if (groups.length > 0) {
    instance.scaling_groups = groups.map((group) => ({ name: group.name, id: group.id }));
  }
  return instance;
}
