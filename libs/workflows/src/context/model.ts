import type { JsonMap, NodeInstanceData, PlanOperation, WorkflowNodeData } from '../ports';
import type { PlanRelationship } from '@nestify/dsl';
import type { Task } from '../engine/tasks';
import type { WorkflowLogger } from './workflow-logger';

export const CONTAINED_IN = 'cloudify.relationships.contained_in';
export const COMPUTE_TYPE = 'cloudify.nodes.Compute';

/** A node of the deployment as workflows see it (`ctx.nodes`). */
export class WfNode {
  readonly instances: WfNodeInstance[] = [];

  constructor(readonly data: WorkflowNodeData) {}

  get id(): string {
    return this.data.id;
  }
  get type(): string {
    return this.data.type;
  }
  get typeHierarchy(): string[] {
    return this.data.type_hierarchy;
  }
  get properties(): JsonMap {
    return this.data.properties as JsonMap;
  }
  get plugins(): JsonMap[] {
    return (this.data.plugins ?? []) as JsonMap[];
  }
  get hostId(): string | null {
    return this.data.host_id ?? null;
  }
  get numberOfInstances(): number {
    return this.data.number_of_instances;
  }
  get relationships(): PlanRelationship[] {
    return this.data.relationships ?? [];
  }
  get operations(): Record<string, PlanOperation> {
    return this.data.operations ?? {};
  }
  get isCompute(): boolean {
    return this.typeHierarchy.includes(COMPUTE_TYPE);
  }
  /** The agent install method of a compute node (`agent_config.install_method`, default remote). */
  get installMethod(): string {
    const props = this.properties;
    const agentConfig = (props.agent_config ?? {}) as JsonMap;
    const legacy = (props.cloudify_agent ?? {}) as JsonMap;
    const method = agentConfig.install_method ?? legacy.install_method;
    return typeof method === 'string' ? method : 'remote';
  }

  /** Mapped to a real implementation (an empty implementation is a no-op). */
  hasOperation(name: string): boolean {
    return Boolean(this.operations[name]?.operation);
  }

  getRelationship(targetNodeId: string, type?: string): PlanRelationship | undefined {
    const rels = this.relationships;
    return (
      rels.find((rel) => rel.target_id === targetNodeId && (!type || rel.type === type)) ??
      rels.find((rel) => rel.target_id === targetNodeId)
    );
  }
}

export interface ExecuteOperationOptions {
  kwargs?: JsonMap;
  allowKwargsOverride?: boolean;
  sendTaskEvents?: boolean;
}

/** The other end of a relationship operation: which instance, and which side runs it. */
export interface RelatedInstance {
  instance: WfNodeInstance;
  side: 'source' | 'target';
}

/** What instances need from the workflow context: lookups and task creation. */
export interface InstanceHost {
  getNodeInstance(id: string): WfNodeInstance | undefined;
  containedIn(instanceId: string): WfNodeInstance[];
  operationTask(
    instance: WfNodeInstance,
    operations: Record<string, PlanOperation>,
    name: string,
    related: RelatedInstance | null,
    options: ExecuteOperationOptions,
  ): Task;
  setStateTask(instance: WfNodeInstance, state: string): Task;
  getStateTask(instance: WfNodeInstance): Task;
  nodeEventTask(instance: WfNodeInstance, text: string, additionalContext?: JsonMap): Task;
  instanceLogger(instance: WfNodeInstance): WorkflowLogger;
}

/** A relationship of a node instance to its target instance. */
export class WfRelationship {
  constructor(
    readonly source: WfNodeInstance,
    readonly target: WfNodeInstance,
    /** The plan relationship (type, properties, operations). */
    readonly relationship: PlanRelationship,
  ) {}

  get targetId(): string {
    return this.target.id;
  }
  get type(): string {
    return this.relationship.type;
  }
  get typeHierarchy(): string[] {
    return this.relationship.type_hierarchy ?? [this.relationship.type];
  }
  get properties(): JsonMap {
    return this.relationship.properties as JsonMap;
  }
  get isContainedIn(): boolean {
    return this.typeHierarchy.includes(CONTAINED_IN);
  }

  /** The relationship operation run on the source instance. */
  executeSourceOperation(name: string, options: ExecuteOperationOptions = {}): Task {
    return this.source.host.operationTask(
      this.source,
      this.relationship.source_operations ?? {},
      name,
      { instance: this.target, side: 'source' },
      options,
    );
  }

  /** The relationship operation run on the target instance (on the target's executor). */
  executeTargetOperation(name: string, options: ExecuteOperationOptions = {}): Task {
    return this.source.host.operationTask(
      this.target,
      this.relationship.target_operations ?? {},
      name,
      { instance: this.source, side: 'target' },
      options,
    );
  }
}

/** A node instance as workflows see it (`ctx.node_instances`). */
export class WfNodeInstance {
  private rels: WfRelationship[] | null = null;

  constructor(
    public data: NodeInstanceData,
    readonly node: WfNode,
    readonly host: InstanceHost,
  ) {}

  get id(): string {
    return this.data.id;
  }
  get nodeId(): string {
    return this.data.node_id;
  }
  get hostId(): string | null {
    return this.data.host_id;
  }
  get state(): string {
    return this.data.state;
  }
  get version(): number {
    return this.data.version;
  }
  get runtimeProperties(): JsonMap {
    return this.data.runtime_properties;
  }
  get systemProperties(): JsonMap {
    return this.data.system_properties ?? {};
  }
  get scalingGroups(): Array<{ id: string; name: string }> {
    return this.data.scaling_groups ?? [];
  }
  get isCompute(): boolean {
    return this.node.isCompute;
  }

  /** Relationships in declaration order, with their targets resolved. */
  get relationships(): WfRelationship[] {
    if (!this.rels) {
      this.rels = [];
      for (const rel of this.data.relationships ?? []) {
        const target = this.host.getNodeInstance(rel.target_id);
        const planRel = this.node.getRelationship(rel.target_name, rel.type);
        if (target && planRel) this.rels.push(new WfRelationship(this, target, planRel));
      }
    }
    return this.rels;
  }

  /** Instances directly contained in this one. */
  get containedInstances(): WfNodeInstance[] {
    return this.host.containedIn(this.id);
  }

  executeOperation(name: string, options: ExecuteOperationOptions = {}): Task {
    return this.host.operationTask(this, this.node.operations, name, null, options);
  }

  setState(state: string): Task {
    return this.host.setStateTask(this, state);
  }

  getState(): Task {
    return this.host.getStateTask(this);
  }

  sendEvent(text: string, additionalContext?: JsonMap): Task {
    return this.host.nodeEventTask(this, text, additionalContext);
  }

  get logger(): WorkflowLogger {
    return this.host.instanceLogger(this);
  }

  /** This instance and everything transitively contained in it. */
  getContainedSubgraph(): WfNodeInstance[] {
    const all: WfNodeInstance[] = [this];
    for (let i = 0; i < all.length; i++) all.push(...all[i].containedInstances);
    return all;
  }
}
