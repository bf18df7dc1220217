import { DSL_ERROR_CODES, DslError } from '../errors';
import { PlanNode, PlanRelationship } from '../plan/plan-types';

export const CONTAINED_IN = 'cloudify.relationships.contained_in';
export const CONNECTED_TO = 'cloudify.relationships.connected_to';
export const DEPENDS_ON = 'cloudify.relationships.depends_on';

export type ConnectionType = 'all_to_all' | 'all_to_one';

export function isContainedIn(relationship: PlanRelationship): boolean {
  return relationship.type_hierarchy.includes(CONTAINED_IN);
}

/** contained_in derives from depends_on, so "a connection" means depends_on but not contained_in. */
export function isConnection(relationship: PlanRelationship): boolean {
  const hierarchy = relationship.type_hierarchy;
  return (
    !hierarchy.includes(CONTAINED_IN) &&
    (hierarchy.includes(CONNECTED_TO) || hierarchy.includes(DEPENDS_ON))
  );
}

/** A node's contained_in relationship and its position among the node's relationships. */
export interface ContainedInRelationship {
  relationship: PlanRelationship;
  index: number;
}

/**
 * The node's single contained_in relationship, or null. Also rejects relationships that are
 * none of contained_in / connected_to / depends_on: instance generation has no rule for them.
 */
export function containedInRelationship(node: PlanNode): ContainedInRelationship | null {
  let found: ContainedInRelationship | null = null;
  node.relationships.forEach((relationship, index) => {
    if (isContainedIn(relationship)) {
      if (found) {
        throw new DslError(`Node '${node.id}' has more than one contained_in relationship`, {
          code: DSL_ERROR_CODES.multipleContainedIn,
          path: ['node_templates', node.id, 'relationships', index],
        });
      }
      found = { relationship, index };
    } else if (!isConnection(relationship)) {
      throw new DslError(
        `Relationship '${relationship.type}' of node '${node.id}' derives from none of ` +
          `${CONTAINED_IN}, ${CONNECTED_TO} and ${DEPENDS_ON}, which node instances need`,
        { path: ['node_templates', node.id, 'relationships', index, 'type'] },
      );
    }
  });
  return found;
}

/** all_to_all unless the relationship says otherwise; anything else is a blueprint error. */
export function connectionType(node: PlanNode, index: number): ConnectionType {
  const value = node.relationships[index].properties.connection_type;
  if (value === undefined || value === null || value === 'all_to_all') return 'all_to_all';
  if (value === 'all_to_one') return 'all_to_one';
  throw new DslError(
    `connection_type must be all_to_all or all_to_one, not ${JSON.stringify(value)}`,
    {
      code: DSL_ERROR_CODES.typeMismatch,
      path: ['node_templates', node.id, 'relationships', index, 'properties', 'connection_type'],
    },
  );
}
