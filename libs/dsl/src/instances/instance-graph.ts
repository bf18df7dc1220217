/** One node instance or scaling-group instance. */
export interface InstanceVertex {
  id: string;
  /** The node (or group) this is an instance of. */
  name: string;
  group: boolean;
  hostId: string | null;
  /** The vertex this one is contained in (a group instance for direct group members). */
  parent: string | null;
}

/** A relationship between instances, or the link of a group member to its group instance. */
export interface InstanceEdge {
  source: string;
  target: string;
  type: string;
  /** Name of the target's node or group. */
  targetName: string;
  /** Position of the relationship on its source; output relationships are ordered by it. */
  index: number;
  /** contained_in of a group member: points at the group instance, written out as the container. */
  replaced: boolean;
  groupEdge: boolean;
}

function edgeKey(source: string, target: string, type: string): string {
  return `${source}\0${target}\0${type}`;
}

/**
 * Instances and their relationships. Vertices keep insertion order (output follows it); an edge
 * is identified by source, target and relationship type, so adding it twice keeps one.
 */
export class InstanceGraph {
  private readonly vertexMap = new Map<string, InstanceVertex>();
  private readonly outgoing = new Map<string, InstanceEdge[]>();
  private readonly incoming = new Map<string, InstanceEdge[]>();
  private readonly edgeKeys = new Set<string>();

  addVertex(vertex: InstanceVertex): void {
    if (this.vertexMap.has(vertex.id)) return;
    this.vertexMap.set(vertex.id, vertex);
    this.outgoing.set(vertex.id, []);
    this.incoming.set(vertex.id, []);
  }

  /** Adds the edge unless one with the same source, target and type exists. */
  addEdge(edge: InstanceEdge): void {
    const key = edgeKey(edge.source, edge.target, edge.type);
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.outgoing.get(edge.source)?.push(edge);
    this.incoming.get(edge.target)?.push(edge);
  }

  hasVertex(id: string): boolean {
    return this.vertexMap.has(id);
  }

  hasEdge(edge: InstanceEdge): boolean {
    return this.edgeKeys.has(edgeKey(edge.source, edge.target, edge.type));
  }

  vertex(id: string): InstanceVertex {
    const found = this.vertexMap.get(id);
    if (!found) throw new Error(`No instance '${id}' in the graph`);
    return found;
  }

  vertices(): IterableIterator<InstanceVertex> {
    return this.vertexMap.values();
  }

  outEdges(id: string): readonly InstanceEdge[] {
    return this.outgoing.get(id) ?? [];
  }

  inEdges(id: string): readonly InstanceEdge[] {
    return this.incoming.get(id) ?? [];
  }

  /** The nearest enclosing vertex that is not a group instance (the real container). */
  container(id: string): InstanceVertex | null {
    for (let up = this.vertex(id).parent; up !== null; up = this.vertex(up).parent) {
      const candidate = this.vertex(up);
      if (!candidate.group) return candidate;
    }
    return null;
  }

  /** The group instances enclosing a vertex, innermost first, up to its real container. */
  groupInstances(id: string): InstanceVertex[] {
    const result: InstanceVertex[] = [];
    for (let up = this.vertex(id).parent; up !== null; up = this.vertex(up).parent) {
      const candidate = this.vertex(up);
      if (!candidate.group) break;
      result.push(candidate);
    }
    return result;
  }

  /** The instance of group `group` enclosing a vertex, or null. */
  enclosingGroupInstance(id: string, group: string): string | null {
    for (let up = this.vertex(id).parent; up !== null; up = this.vertex(up).parent) {
      const candidate = this.vertex(up);
      if (candidate.group && candidate.name === group) return candidate.id;
    }
    return null;
  }
}
