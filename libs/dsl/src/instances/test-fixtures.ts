import { PlanNode, PlanNodeInstance, PlanRelationship, ScalingGroup } from '../plan/plan-types';
import { CONNECTED_TO, CONTAINED_IN, DEPENDS_ON } from './relationship-kinds';
import { NewInstanceId } from './ids';

/** Test-only builders of plan nodes, groups and deterministic ids. */

export interface NodeSpec {
  id: string;
  instances?: number;
  /** A host (Compute) node: instances of nodes contained in it get its instance as host_id. */
  host?: boolean;
  containedIn?: string;
  connectedTo?: (string | { target: string; connectionType?: string; type?: string })[];
}

function relationship(
  type: string,
  hierarchy: string[],
  target: string,
  connection?: string,
): PlanRelationship {
  return {
    type,
    target_id: target,
    type_hierarchy: hierarchy,
    properties: { connection_type: connection ?? 'all_to_all' },
    source_interfaces: {},
    target_interfaces: {},
    source_operations: {},
    target_operations: {},
  };
}

/** Plan nodes for the specs, with host_id worked out from `host` and contained_in chains. */
export function planNodes(specs: NodeSpec[]): PlanNode[] {
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const hostOf = (spec: NodeSpec): string | null => {
    const seen = new Set<string>();
    for (
      let at: NodeSpec | undefined = spec;
      at && !seen.has(at.id);
      at = at.containedIn ? byId.get(at.containedIn) : undefined
    ) {
      seen.add(at.id);
      if (at.host) return at.id;
    }
    return null;
  };
  return specs.map((spec) => {
    const count = spec.instances ?? 1;
    const relationships: PlanRelationship[] = [];
    if (spec.containedIn) {
      relationships.push(relationship(CONTAINED_IN, [DEPENDS_ON, CONTAINED_IN], spec.containedIn));
    }
    for (const entry of spec.connectedTo ?? []) {
      const target = typeof entry === 'string' ? entry : entry.target;
      const connection = typeof entry === 'string' ? undefined : entry.connectionType;
      const type = typeof entry === 'string' ? CONNECTED_TO : (entry.type ?? CONNECTED_TO);
      const hierarchy = type === DEPENDS_ON ? [DEPENDS_ON] : [DEPENDS_ON, CONNECTED_TO];
      relationships.push(relationship(type, hierarchy, target, connection));
    }
    return {
      id: spec.id,
      name: spec.id,
      type: spec.host ? 'cloudify.nodes.Compute' : 'cloudify.nodes.Root',
      type_hierarchy: ['cloudify.nodes.Root'],
      properties: {},
      operations: {},
      interfaces: {},
      relationships,
      plugins: [],
      plugins_to_install: [],
      deployment_plugins_to_install: [],
      host_id: hostOf(spec),
      instances: { deploy: count },
      capabilities: {
        scalable: {
          properties: {
            default_instances: count,
            min_instances: 0,
            max_instances: -1,
            current_instances: count,
            planned_instances: count,
          },
        },
      },
    };
  });
}

export function scalingGroup(members: string[], instances = 1): ScalingGroup {
  return {
    members,
    properties: {
      default_instances: instances,
      min_instances: 0,
      max_instances: -1,
      current_instances: instances,
      planned_instances: instances,
    },
  };
}

/** Ids `<prefix>_000001`, `<prefix>_000002`, … (base 36): deterministic and well-formed. */
export function sequentialIds(): NewInstanceId {
  let counter = 0;
  return (prefix) => {
    counter += 1;
    return `${prefix}_${counter.toString(36).padStart(6, '0')}`;
  };
}

export function instancesOf<T extends PlanNodeInstance>(
  instances: readonly T[],
  node: string,
): T[] {
  return instances.filter((instance) => instance.node_id === node);
}

export function targetsOf(instance: PlanNodeInstance, targetNode: string): string[] {
  return instance.relationships.filter((r) => r.target_name === targetNode).map((r) => r.target_id);
}
