import { modifyDeployment } from '@nestify/dsl';
import type { DeploymentPlan, PlanNodeInstance, ScalingGroup } from '@nestify/dsl';
import type {
  DeploymentModificationData,
  DeploymentSnapshot,
  DeploymentStore,
  JsonMap,
  NodeInstanceData,
  NodeInstancePatch,
  WorkflowNodeData,
} from '../ports';

/** A deployment snapshot made from a prepared plan (instances `uninitialized`). */
export function snapshotFromPlan(
  plan: DeploymentPlan,
  deploymentId = 'd1',
  tenant = 'default_tenant',
): DeploymentSnapshot {
  const counts = new Map<string, number>();
  for (const instance of plan.node_instances) {
    counts.set(instance.node_id, (counts.get(instance.node_id) ?? 0) + 1);
  }
  const nodes: WorkflowNodeData[] = plan.nodes.map((node) => ({
    ...structuredClone(node),
    number_of_instances: counts.get(node.id) ?? 0,
    deploy_number_of_instances: node.capabilities?.scalable?.properties?.default_instances ?? 1,
  }));
  return {
    deployment: {
      id: deploymentId,
      display_name: deploymentId,
      blueprint_id: 'bp',
      tenant_name: tenant,
      creator: 'admin',
      resource_tags: null,
      runtime_only_evaluation: false,
      scaling_groups: structuredClone(plan.scaling_groups) as unknown as JsonMap,
    },
    nodes,
    instances: plan.node_instances.map((instance, index) => toInstanceData(instance, index)),
  };
}

function toInstanceData(instance: PlanNodeInstance, index: number): NodeInstanceData {
  return {
    id: instance.id,
    node_id: instance.node_id,
    host_id: instance.host_id,
    state: 'uninitialized',
    version: 1,
    runtime_properties: {},
    system_properties: {},
    relationships: instance.relationships.map((rel) => ({ ...rel })),
    scaling_groups: (instance.scaling_groups ?? []) as Array<{ id: string; name: string }>,
    index,
  };
}

/**
 * The deployment in memory, for tests and local mode: instance writes applied in order (and
 * kept in `history`), scale modifications computed with libs/dsl as the REST service would.
 */
export class InMemoryDeploymentStore implements DeploymentStore {
  readonly history: Array<{ instanceId: string; patch: NodeInstancePatch }> = [];
  readonly modifications: DeploymentModificationData[] = [];
  private instances = new Map<string, NodeInstanceData>();
  private nodes: WorkflowNodeData[];
  private readonly snapshot: DeploymentSnapshot;
  private pendingAdds = new Map<string, NodeInstanceData[]>();
  private pendingRemovals = new Map<string, string[]>();

  constructor(snapshot: DeploymentSnapshot) {
    this.snapshot = structuredClone(snapshot);
    this.nodes = this.snapshot.nodes;
    for (const instance of this.snapshot.instances) this.instances.set(instance.id, instance);
  }

  async load(): Promise<DeploymentSnapshot> {
    return structuredClone({
      ...this.snapshot,
      nodes: this.nodes,
      instances: [...this.instances.values()],
    });
  }

  async loadInstances(): Promise<NodeInstanceData[]> {
    return structuredClone([...this.instances.values()]);
  }

  async getInstance(instanceId: string): Promise<NodeInstanceData | null> {
    const instance = this.instances.get(instanceId);
    return instance ? structuredClone(instance) : null;
  }

  /** Reads an instance synchronously (tests). */
  instance(instanceId: string): NodeInstanceData {
    const instance = this.instances.get(instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}`);
    return instance;
  }

  all(): NodeInstanceData[] {
    return [...this.instances.values()];
  }

  /** Sets runtime properties, as an operation would (tests). */
  setRuntimeProperties(instanceId: string, properties: JsonMap): void {
    this.instance(instanceId).runtime_properties = { ...properties };
  }

  async updateInstance(instanceId: string, patch: NodeInstancePatch): Promise<void> {
    this.history.push({ instanceId, patch: structuredClone(patch) });
    const instance = this.instances.get(instanceId);
    if (!instance) return;
    if (patch.state !== undefined) instance.state = patch.state;
    if (patch.system_properties !== undefined)
      instance.system_properties = structuredClone(patch.system_properties);
    instance.version++;
  }

  async startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData> {
    const scalingGroups = (this.snapshot.deployment.scaling_groups ?? {}) as unknown as Record<
      string,
      ScalingGroup
    >;
    const result = modifyDeployment({
      nodes: this.nodes,
      previousNodeInstances: [...this.instances.values()].map((i) => ({
        id: i.id,
        name: i.node_id,
        node_id: i.node_id,
        host_id: i.host_id,
        relationships: i.relationships,
        scaling_groups: i.scaling_groups,
      })),
      modifiedNodes: modifiedNodes as never,
      scalingGroups,
    });
    const id = `modification_${this.modifications.length + 1}`;
    const toData = (list: typeof result.added_and_related) =>
      list.map((i, index) => ({
        ...(this.instances.get(i.id) ?? toInstanceData(i, this.instances.size + index)),
        relationships: i.relationships.map((rel) => ({ ...rel })),
        modification: i.modification,
      }));
    const modification: DeploymentModificationData = {
      id,
      status: 'started',
      modified_nodes: modifiedNodes,
      node_instances: {
        added_and_related: toData(result.added_and_related),
        removed_and_related: toData(result.removed_and_related),
      },
    };
    const added = modification.node_instances.added_and_related.filter(
      (i) => i.modification === 'added',
    );
    for (const instance of added) {
      const data: NodeInstanceData & { modification?: string } = { ...instance };
      delete data.modification;
      this.instances.set(data.id, data);
    }
    // Existing targets gain relationships to the new instances at once (as the REST service does).
    for (const related of modification.node_instances.added_and_related) {
      const stored = this.instances.get(related.id);
      if (stored && related.modification !== 'added') stored.relationships = related.relationships;
    }
    this.pendingAdds.set(
      id,
      added.map((instance) => this.instances.get(instance.id) as NodeInstanceData),
    );
    this.pendingRemovals.set(
      id,
      modification.node_instances.removed_and_related
        .filter((i) => i.modification === 'removed')
        .map((i) => i.id),
    );
    this.modifications.push(modification);
    return structuredClone(modification);
  }

  async finishModification(modificationId: string): Promise<void> {
    const modification = this.find(modificationId);
    modification.status = 'finished';
    for (const id of this.pendingRemovals.get(modificationId) ?? []) this.instances.delete(id);
    this.recount();
  }

  async rollbackModification(modificationId: string): Promise<void> {
    const modification = this.find(modificationId);
    modification.status = 'rolledback';
    for (const instance of this.pendingAdds.get(modificationId) ?? [])
      this.instances.delete(instance.id);
  }

  async listStartedModifications(): Promise<DeploymentModificationData[]> {
    return structuredClone(this.modifications.filter((m) => m.status === 'started'));
  }

  private find(id: string): DeploymentModificationData {
    const modification = this.modifications.find((m) => m.id === id);
    if (!modification) throw new Error(`no modification ${id}`);
    return modification;
  }

  private recount(): void {
    const counts = new Map<string, number>();
    for (const instance of this.instances.values()) {
      counts.set(instance.node_id, (counts.get(instance.node_id) ?? 0) + 1);
    }
    for (const node of this.nodes) node.number_of_instances = counts.get(node.id) ?? 0;
  }
}
