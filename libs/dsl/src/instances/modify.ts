import { PlanNode, PlanNodeInstance, ScalingGroup } from '../plan/plan-types';
import { NodeModification, buildDeploymentGraph } from './build';
import {
  GraphSelection,
  InstanceModificationKind,
  ModifiedNodeInstance,
  extractSelection,
} from './extract';
import { InstanceIdAllocator, NewInstanceId } from './ids';
import { InstanceGraph } from './instance-graph';
import { PlanModel } from './plan-model';
import { readPreviousDeployment } from './previous';

export interface InstanceGenerationOptions {
  /** Makes the id of a new instance of the node or group `prefix`; default `<prefix>_<6 random>`. */
  newId?: NewInstanceId;
}

export interface ModifyDeploymentInput {
  nodes: PlanNode[];
  previousNodeInstances: PlanNodeInstance[];
  /** Node or group name → its new instance count (per container instance). */
  modifiedNodes: Record<string, NodeModification>;
  scalingGroups: Record<string, ScalingGroup>;
}

/** What a modification changes, with Cloudify's key names. */
export interface DeploymentModification {
  /** New instances (`modification: 'added'`) and the instances they have relationships with. */
  added_and_related: ModifiedNodeInstance[];
  /** Existing instances gaining relationships (`'extended'`) and the existing targets. */
  extended_and_related: ModifiedNodeInstance[];
  /** Remaining instances losing relationships (`'reduced'`) and their remaining targets. */
  reduced_and_related: ModifiedNodeInstance[];
  /** Removed instances (`'removed'`) and the instances they had relationships with. */
  removed_and_related: ModifiedNodeInstance[];
}

/**
 * Scales nodes and groups of an existing deployment: builds the new instance graph keeping the
 * existing instances, and reports the difference from the previous one.
 */
export function modifyDeployment(
  input: ModifyDeploymentInput,
  options: InstanceGenerationOptions = {},
): DeploymentModification {
  const model = new PlanModel(input.nodes, input.scalingGroups);
  const previous = readPreviousDeployment(model, input.previousNodeInstances);
  const existingIds = [...previous.graph.vertices()].map((vertex) => vertex.id);
  const next = buildDeploymentGraph(model, {
    ids: new InstanceIdAllocator(options.newId, existingIds),
    previous,
    modifiedNodes: input.modifiedNodes,
  });
  const before = previous.graph;

  const added = extractSelection(instancesOnlyIn(next, before, 'added'), next);
  const removed = extractSelection(instancesOnlyIn(before, next, 'removed'), before);
  const extended = extractSelection(relationshipsOnlyIn(next, before, 'extended'), next);
  const reduced = extractSelection(relationshipsOnlyIn(before, next, 'reduced'), before);
  // New and removed instances are reported once, as added / removed, not again as targets.
  return {
    added_and_related: added,
    extended_and_related: withoutMarked(extended, added),
    reduced_and_related: withoutMarked(reduced, removed),
    removed_and_related: removed,
  };
}

/** Vertices of `graph` missing from `other`, marked, with every neighbour and connecting edge. */
function instancesOnlyIn(
  graph: InstanceGraph,
  other: InstanceGraph,
  kind: InstanceModificationKind,
): GraphSelection {
  const selection = new GraphSelection();
  for (const vertex of graph.vertices()) {
    if (other.hasVertex(vertex.id)) continue;
    selection.mark(vertex.id, kind);
    for (const edge of graph.outEdges(vertex.id)) {
      selection.include(edge.target);
      selection.addEdge(edge);
    }
    for (const edge of graph.inEdges(vertex.id)) {
      selection.include(edge.source);
      selection.addEdge(edge);
    }
  }
  return selection;
}

/** Edges of `graph` from vertices that `other` has too, but which `other` lacks; sources marked. */
function relationshipsOnlyIn(
  graph: InstanceGraph,
  other: InstanceGraph,
  kind: InstanceModificationKind,
): GraphSelection {
  const selection = new GraphSelection();
  for (const vertex of graph.vertices()) {
    if (!other.hasVertex(vertex.id)) continue;
    for (const edge of graph.outEdges(vertex.id)) {
      if (other.hasEdge(edge)) continue;
      selection.mark(vertex.id, kind);
      selection.include(edge.target);
      selection.addEdge(edge);
    }
  }
  return selection;
}

function withoutMarked(
  instances: ModifiedNodeInstance[],
  reference: ModifiedNodeInstance[],
): ModifiedNodeInstance[] {
  const marked = new Set(reference.filter((i) => i.modification).map((i) => i.id));
  return instances.filter((instance) => !marked.has(instance.id));
}
