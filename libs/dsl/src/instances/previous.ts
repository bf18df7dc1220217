import { PlanNodeInstance } from '../plan/plan-types';
import { InstanceGraph } from './instance-graph';
import { GROUP_CONTAINED_IN, PlanModel } from './plan-model';

/** The instances of a deployment before a modification, arranged like a generated graph. */
export interface PreviousDeployment {
  graph: InstanceGraph;
  /** Instances (groups included) of each node or group, in the order they were given. */
  byName: Map<string, string[]>;
  /** Instances of each node or group under one container instance. */
  byParent: Map<string, string[]>;
  /** Group instance id → the node instances naming it in their scaling_groups. */
  groupMembers: Map<string, string[]>;
}

export function parentKey(parent: string, name: string): string {
  return `${parent}\0${name}`;
}

interface GroupRef {
  id: string;
  name: string;
}

function scalingGroupsOf(instance: PlanNodeInstance): GroupRef[] {
  return (instance.scaling_groups ?? []).map((group) => ({
    id: String(group.id),
    name: String(group.name),
  }));
}

/**
 * Rebuilds the instance graph of an existing deployment: group instances come from the
 * instances' scaling_groups (innermost first), and a group member's contained_in relationship is
 * re-pointed at its group instance, with the outermost group instance inside the real container.
 */
export function readPreviousDeployment(
  model: PlanModel,
  instances: readonly PlanNodeInstance[],
): PreviousDeployment {
  const graph = new InstanceGraph();
  const groupMembers = new Map<string, string[]>();
  for (const instance of instances) {
    graph.addVertex({
      id: instance.id,
      name: instance.node_id || instance.name,
      group: false,
      hostId: instance.host_id ?? null,
      parent: null,
    });
    for (const group of scalingGroupsOf(instance)) {
      graph.addVertex({ id: group.id, name: group.name, group: true, hostId: null, parent: null });
      const members = groupMembers.get(group.id) ?? [];
      members.push(instance.id);
      groupMembers.set(group.id, members);
    }
  }
  for (const instance of instances) linkPreviousInstance(model, graph, instance);

  const byName = new Map<string, string[]>();
  const byParent = new Map<string, string[]>();
  for (const vertex of graph.vertices()) {
    push(byName, vertex.name, vertex.id);
    if (vertex.parent !== null) push(byParent, parentKey(vertex.parent, vertex.name), vertex.id);
  }
  return { graph, byName, byParent, groupMembers };
}

function linkPreviousInstance(
  model: PlanModel,
  graph: InstanceGraph,
  instance: PlanNodeInstance,
): void {
  const vertex = graph.vertex(instance.id);
  const entity = model.entities.get(vertex.name);
  const groups = scalingGroupsOf(instance);
  let containerId: string | null = null;
  instance.relationships.forEach((relationship, index) => {
    const isContainment =
      containerId === null &&
      entity !== undefined &&
      entity.containerNode === relationship.target_name &&
      entity.link?.type === relationship.type;
    if (isContainment) containerId = relationship.target_id;
    if (isContainment && groups.length > 0) {
      graph.addEdge({
        source: instance.id,
        target: groups[0].id,
        type: relationship.type,
        targetName: groups[0].name,
        index,
        replaced: true,
        groupEdge: false,
      });
    } else if (graph.hasVertex(relationship.target_id)) {
      graph.addEdge({
        source: instance.id,
        target: relationship.target_id,
        type: relationship.type,
        targetName: relationship.target_name,
        index,
        replaced: false,
        groupEdge: false,
      });
    }
  });

  if (groups.length === 0) {
    vertex.parent = containerId;
    return;
  }
  // instance → innermost group → … → outermost group → real container (when there is one).
  const chain: GroupRef[] = [{ id: instance.id, name: vertex.name }, ...groups];
  if (containerId !== null) chain.push({ id: containerId, name: '' });
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const lower = chain[i];
    const upper = chain[i + 1];
    if (!graph.hasVertex(upper.id)) break;
    graph.vertex(lower.id).parent = upper.id;
    if (i === 0 && containerId !== null) continue; // the contained_in relationship links these
    graph.addEdge({
      source: lower.id,
      target: upper.id,
      type: GROUP_CONTAINED_IN,
      targetName: graph.vertex(upper.id).name,
      index: -1,
      replaced: false,
      groupEdge: true,
    });
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
