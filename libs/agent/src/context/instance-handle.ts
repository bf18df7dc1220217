import {
  type ConflictResolver,
  type InstanceContext,
  type InstanceRelationship,
  type JsonMap,
  NonRecoverableError,
} from '@nestify/plugin-sdk';
import {
  ManagerClient,
  ManagerNode,
  ManagerNodeInstance,
  VersionConflictError,
} from './manager-client';

const clone = (value: JsonMap): JsonMap => structuredClone(value);

/**
 * A node instance as an operation sees it. Dirty tracking compares the properties with a snapshot
 * of what was last read or written, so nested edits count too.
 */
export class InstanceHandle implements InstanceContext {
  runtimeProperties: JsonMap;
  private stored: ManagerNodeInstance;
  private snapshot: string;

  constructor(
    private readonly client: ManagerClient,
    instance: ManagerNodeInstance,
    private readonly node: ManagerNode,
    private readonly deploymentId: string,
  ) {
    this.accept(instance);
  }

  get id(): string {
    return this.stored.id;
  }
  get version(): number {
    return this.stored.version;
  }
  get index(): number {
    return this.stored.index ?? 0;
  }
  get hostId(): string | null {
    return this.stored.host_id;
  }
  get scalingGroups() {
    return this.stored.scaling_groups ?? [];
  }
  get dirty(): boolean {
    return JSON.stringify(this.runtimeProperties) !== this.snapshot;
  }

  get relationships(): InstanceRelationship[] {
    const planned = this.node.relationships ?? [];
    return (this.stored.relationships ?? []).map((relationship) => ({
      type: relationship.type,
      typeHierarchy: planned.find((p) => p.target_id === relationship.target_name)
        ?.type_hierarchy ?? [relationship.type],
      targetId: relationship.target_id,
      targetName: relationship.target_name,
    }));
  }

  async update(onConflict?: ConflictResolver): Promise<void> {
    let properties = this.runtimeProperties;
    let version = this.stored.version;
    for (;;) {
      try {
        const written = await this.client.updateRuntimeProperties(this.id, version, properties);
        this.accept({ ...written, runtime_properties: properties });
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError) || !onConflict) throw error;
        const latest = await this.client.getNodeInstance(this.id);
        properties = onConflict(clone(properties), latest.runtime_properties ?? {});
        version = latest.version;
      }
    }
  }

  async refresh(force = false): Promise<void> {
    if (this.dirty && !force) {
      throw new NonRecoverableError(
        `Cannot refresh node instance ${this.id}: it has unsaved runtime properties`,
      );
    }
    this.accept(await this.client.getNodeInstance(this.id));
  }

  async hostIp(): Promise<string> {
    const isHost = this.stored.host_id === null || this.stored.host_id === this.id;
    const instance = isHost ? this.stored : await this.client.getNodeInstance(this.hostIdOrFail());
    const fromRuntime = isHost ? this.runtimeProperties.ip : instance.runtime_properties?.ip;
    if (typeof fromRuntime === 'string' && fromRuntime) return fromRuntime;
    const node = isHost
      ? this.node
      : await this.client.getNode(this.deploymentId, instance.node_id);
    const fromNode = node.properties?.ip;
    if (typeof fromNode === 'string' && fromNode) return fromNode;
    throw new NonRecoverableError(`could not find the ip of the host of ${this.id}`);
  }

  private hostIdOrFail(): string {
    if (!this.stored.host_id) throw new NonRecoverableError(`${this.id} has no host`);
    return this.stored.host_id;
  }

  private accept(instance: ManagerNodeInstance): void {
    this.stored = instance;
    this.runtimeProperties = clone(instance.runtime_properties ?? {});
    this.snapshot = JSON.stringify(this.runtimeProperties);
  }
}
