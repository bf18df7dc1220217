import { VersionConflictError } from '@nestify/agent';
import { NonRecoverableError } from '@nestify/plugin-sdk';
import {
  DeploymentModificationData,
  InMemoryDeploymentStore,
  JsonMap,
  NodeInstanceData,
  NodeInstancePatch,
  WorkflowNodeData,
} from '@nestify/workflows';
import { LocalState, LocalStateFile } from './local-state';

/**
 * The local deployment: the engine's DeploymentStore and the operations' view of nodes and
 * instances in one place, kept in memory while a command runs and saved to the state file after
 * every change, so the file always shows where a workflow got to.
 */
export class LocalDeploymentStore extends InMemoryDeploymentStore {
  constructor(
    private readonly state: LocalState,
    private readonly file: LocalStateFile,
  ) {
    super(state.deployment);
  }

  override async updateInstance(instanceId: string, patch: NodeInstancePatch): Promise<void> {
    await super.updateInstance(instanceId, patch);
    await this.persist();
  }

  override async startModification(modifiedNodes: JsonMap): Promise<DeploymentModificationData> {
    const modification = await super.startModification(modifiedNodes);
    await this.persist();
    return modification;
  }

  override async finishModification(modificationId: string): Promise<void> {
    await super.finishModification(modificationId);
    await this.persist();
  }

  override async rollbackModification(modificationId: string): Promise<void> {
    await super.rollbackModification(modificationId);
    await this.persist();
  }

  /** A node by id (what `GET /nodes?id=` answers). */
  node(nodeId: string): WorkflowNodeData {
    const node = this.state.deployment.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NonRecoverableError(`node ${nodeId} not found in the local deployment`);
    return node;
  }

  /** An instance as stored now (a copy). */
  readInstance(instanceId: string): NodeInstanceData {
    return structuredClone(this.existing(instanceId));
  }

  /** Replaces an instance's runtime properties under the optimistic version lock. */
  async writeRuntimeProperties(
    instanceId: string,
    version: number,
    properties: JsonMap,
  ): Promise<NodeInstanceData> {
    const instance = this.existing(instanceId);
    if (instance.version !== version) {
      throw new VersionConflictError(
        `node instance ${instanceId} was changed meanwhile (version ${instance.version}, not ${version})`,
      );
    }
    instance.runtime_properties = structuredClone(properties);
    instance.version += 1;
    await this.persist();
    return structuredClone(instance);
  }

  private existing(instanceId: string): NodeInstanceData {
    const instance = this.all().find((i) => i.id === instanceId);
    if (!instance) {
      throw new NonRecoverableError(
        `node instance ${instanceId} not found in the local deployment`,
      );
    }
    return instance;
  }

  private async persist(): Promise<void> {
    this.state.deployment = await this.load();
    await this.file.save(this.state);
  }
}
