import { Visibility } from '@nestify/common';
import type { JsonObject, Node } from '@nestify/model';
import type { NewNodeDto } from './dto/create-nodes.dto';

/** Where new nodes go: their deployment, whose tenant and visibility they copy, and creator. */
export interface NodeParent {
  deploymentFk: number;
  tenantId: number;
  visibility: Visibility;
  creatorId: number;
}

/** The keys a node's relationship keeps; the plan's other relationship keys are dropped. */
const RELATIONSHIP_KEYS = [
  'target_id',
  'type',
  'type_hierarchy',
  'properties',
  'source_operations',
  'target_operations',
] as const;

function scalableProperties(capabilities: JsonObject | null | undefined): Record<string, unknown> {
  const scalable = (capabilities?.scalable ?? {}) as JsonObject;
  return (scalable.properties ?? {}) as Record<string, unknown>;
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** A plan relationship trimmed to what the nodes table keeps. */
export function trimRelationship(relationship: JsonObject): JsonObject {
  const trimmed: JsonObject = {};
  for (const key of RELATIONSHIP_KEYS) if (key in relationship) trimmed[key] = relationship[key];
  return trimmed;
}

/**
 * The row of a new node with Cloudify's defaults: instance counts from the plan's
 * `capabilities.scalable.properties` (current for number/planned, default for deploy, min, max;
 * each 1 when absent), type_hierarchy `[type]`, empty properties/operations/plugins.
 */
export function newNodeRow(node: NewNodeDto, parent: NodeParent): Partial<Node> {
  const scalable = scalableProperties(node.capabilities);
  const current = count(scalable.current_instances, 1);
  return {
    id: node.id,
    deploymentFk: parent.deploymentFk,
    tenantId: parent.tenantId,
    creatorId: parent.creatorId,
    visibility: parent.visibility,
    type: node.type,
    typeHierarchy: node.type_hierarchy?.length ? node.type_hierarchy : [node.type],
    properties: node.properties ?? {},
    operations: node.operations ?? {},
    relationships: (node.relationships ?? []).map(trimRelationship),
    plugins: node.plugins ?? [],
    pluginsToInstall: node.plugins_to_install ?? null,
    hostId: node.host_id ?? null,
    numberOfInstances: node.number_of_instances ?? current,
    plannedNumberOfInstances: node.planned_number_of_instances ?? current,
    deployNumberOfInstances:
      node.deploy_number_of_instances ?? count(scalable.default_instances, 1),
    minNumberOfInstances: node.min_number_of_instances ?? count(scalable.min_instances, 1),
    maxNumberOfInstances: node.max_number_of_instances ?? count(scalable.max_instances, 1),
  };
}
