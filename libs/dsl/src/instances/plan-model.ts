import { DSL_ERROR_CODES, DslError } from '../errors';
import { PlanNode, ScalableProperties, ScalingGroup } from '../plan/plan-types';
import { containedInRelationship } from './relationship-kinds';
import { normalizeScalingGroups } from './scaling-groups';

/** Relationship type of the link between a group member and its group (never shown to users). */
export const GROUP_CONTAINED_IN = '__group_contained_in__';

/** How each instance of an entity points at the instance of its container. */
export interface ContainmentLink {
  type: string;
  /** Node or group the link points at. */
  targetName: string;
  /** Position among the node's relationships; -1 for links that are not relationships. */
  index: number;
  /**
   * A contained_in relationship of a group member: it points at the member's group instance
   * while instances are built, and at the real container once instances are written out.
   */
  replaced: boolean;
  /** Membership in a group: shapes the instance tree, never becomes a relationship. */
  groupEdge: boolean;
}

/** A node or a scaling group: both are multiplied per instance of their container. */
export interface PlanEntity {
  name: string;
  node: PlanNode | null;
  groupProperties: ScalableProperties | null;
  /** The entity whose instances contain this entity's instances; null at the top. */
  parent: string | null;
  link: ContainmentLink | null;
  /** The node this node's contained_in relationship targets (even when a group sits between). */
  containerNode: string | null;
  children: string[];
}

/** Nodes and scaling groups arranged as the containment forest instances are generated from. */
export class PlanModel {
  readonly entities = new Map<string, PlanEntity>();
  readonly roots: string[] = [];
  readonly nodes: readonly PlanNode[];
  readonly scalingGroups: Record<string, ScalingGroup>;
  private readonly groupChains = new Map<string, string[]>();

  constructor(nodes: readonly PlanNode[], scalingGroups: Record<string, ScalingGroup>) {
    this.nodes = nodes;
    this.scalingGroups = normalizeScalingGroups(nodes, scalingGroups);
    for (const node of nodes) {
      this.entities.set(node.id, entity(node.id, node, null));
    }
    for (const [name, group] of Object.entries(this.scalingGroups)) {
      this.entities.set(name, entity(name, null, group.properties));
    }
    this.linkGroups();
    this.linkNodes();
    this.checkNoCycles();
    for (const item of this.entities.values()) {
      if (item.parent === null) this.roots.push(item.name);
      else this.get(item.parent).children.push(item.name);
    }
  }

  get(name: string): PlanEntity {
    const found = this.entities.get(name);
    if (!found) throw new Error(`Unknown node or group '${name}'`);
    return found;
  }

  /** The scaling groups enclosing an entity, innermost first. */
  groupsOf(name: string): string[] {
    const cached = this.groupChains.get(name);
    if (cached) return cached;
    const chain: string[] = [];
    for (let parent = this.get(name).parent; parent !== null; parent = this.get(parent).parent) {
      if (this.get(parent).node === null) chain.push(parent);
    }
    this.groupChains.set(name, chain);
    return chain;
  }

  /** The innermost scaling group enclosing both nodes, or null. */
  innermostSharedGroup(a: string, b: string): string | null {
    const ofB = new Set(this.groupsOf(b));
    return this.groupsOf(a).find((group) => ofB.has(group)) ?? null;
  }

  private linkGroups(): void {
    for (const [name, group] of Object.entries(this.scalingGroups)) {
      for (const member of group.members) {
        const item = this.get(member);
        item.parent = name;
        item.link = {
          type: GROUP_CONTAINED_IN,
          targetName: name,
          index: -1,
          replaced: false,
          groupEdge: true,
        };
      }
    }
  }

  /**
   * A contained node outside groups hangs under its container. A contained group member keeps
   * hanging under its group; instead the group's outermost enclosing group moves under the
   * container, so whole group instances are multiplied per container instance.
   */
  private linkNodes(): void {
    for (const node of this.nodes) {
      node.relationships.forEach((relationship, index) => {
        if (!this.entities.has(relationship.target_id)) {
          throw new DslError(
            `Relationship of node '${node.id}' targets '${relationship.target_id}', which is not a node`,
            {
              code: DSL_ERROR_CODES.undefinedTargetNode,
              path: ['node_templates', node.id, 'relationships', index, 'target'],
            },
          );
        }
      });
      const contained = containedInRelationship(node);
      if (!contained) continue;
      const item = this.get(node.id);
      const container = contained.relationship.target_id;
      item.containerNode = container;
      if (item.link === null) {
        item.parent = container;
        item.link = {
          type: contained.relationship.type,
          targetName: container,
          index: contained.index,
          replaced: false,
          groupEdge: false,
        };
        continue;
      }
      item.link = {
        ...item.link,
        type: contained.relationship.type,
        index: contained.index,
        replaced: true,
        groupEdge: false,
      };
      this.placeOutermostGroup(node.id, container);
    }
  }

  private placeOutermostGroup(member: string, container: string): void {
    // Walk up through groups only: the outermost group may already hang under a node.
    let outermost = this.get(member).parent ?? member;
    for (
      let up = this.get(outermost).parent;
      up !== null && this.get(up).node === null;
      up = this.get(up).parent
    ) {
      outermost = up;
    }
    const group = this.get(outermost);
    if (group.parent !== null && group.parent !== container) {
      throw new DslError(
        `Members of group '${outermost}' are contained in different nodes ('${group.parent}' and '${container}')`,
        { code: DSL_ERROR_CODES.nonContainedGroupMembers, path: ['groups', outermost, 'members'] },
      );
    }
    group.parent = container;
    group.link = {
      type: GROUP_CONTAINED_IN,
      targetName: container,
      index: -1,
      replaced: false,
      groupEdge: true,
    };
  }

  private checkNoCycles(): void {
    const settled = new Set<string>();
    for (const start of this.entities.keys()) {
      const path: string[] = [];
      const onPath = new Set<string>();
      for (
        let name: string | null = start;
        name !== null && !settled.has(name);
        name = this.get(name).parent
      ) {
        if (onPath.has(name)) {
          throw new DslError(
            `Containment cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`,
            { code: DSL_ERROR_CODES.cycle, path: ['node_templates', name, 'relationships'] },
          );
        }
        onPath.add(name);
        path.push(name);
      }
      for (const name of path) settled.add(name);
    }
  }
}

function entity(
  name: string,
  node: PlanNode | null,
  groupProperties: ScalableProperties | null,
): PlanEntity {
  return {
    name,
    node,
    groupProperties,
    parent: null,
    link: null,
    containerNode: null,
    children: [],
  };
}

type CountField = 'planned_instances' | 'current_instances';

/**
 * How many instances an entity has per instance of its container. Fresh deployments read
 * planned_instances; modifications read current_instances for entities they do not change,
 * as Cloudify does. Missing numbers fall back to default_instances, then instances.deploy, then 1.
 */
export function instanceCount(item: PlanEntity, field: CountField): number {
  const properties = item.node
    ? item.node.capabilities?.scalable?.properties
    : item.groupProperties;
  const candidates: unknown[] = [
    properties?.[field],
    properties?.planned_instances,
    properties?.default_instances,
    item.node?.instances?.deploy,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'number') {
      if (!Number.isInteger(candidate) || candidate < 0) {
        throw new DslError(`Instance count of '${item.name}' must be a non-negative integer`, {
          code: DSL_ERROR_CODES.invalidInstanceCounts,
          path: [item.node ? 'node_templates' : 'groups', item.name],
        });
      }
      return candidate;
    }
  }
  return 1;
}
