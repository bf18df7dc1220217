import type { Json, JsonObject, RuntimeStorage } from '@nestify/dsl';
import type { NodeInstanceData } from '@nestify/workflows';
import { LOCAL_TENANT, type LocalState } from './local-state';

type RuntimeNodeInstance = NonNullable<Awaited<ReturnType<RuntimeStorage['getNodeInstance']>>>;
type RuntimeNode = NonNullable<Awaited<ReturnType<RuntimeStorage['getNode']>>>;

function toRuntimeInstance(instance: NodeInstanceData): RuntimeNodeInstance {
  return {
    id: instance.id,
    node_id: instance.node_id,
    host_id: instance.host_id,
    runtime_properties: instance.runtime_properties as JsonObject,
    relationships: instance.relationships,
    scaling_groups: instance.scaling_groups,
    index: instance.index,
  };
}

/**
 * What runtime functions (`get_attribute`, `get_sys`…) read, answered from the local state. Local
 * mode has no secrets, labels or other deployments, so those lookups find nothing.
 */
export class LocalRuntimeStorage implements RuntimeStorage {
  constructor(private readonly state: LocalState) {}

  async getNodeInstance(id: string): Promise<RuntimeNodeInstance | undefined> {
    const instance = this.state.deployment.instances.find((i) => i.id === id);
    return instance ? toRuntimeInstance(instance) : undefined;
  }

  async getNodeInstances(nodeId: string): Promise<RuntimeNodeInstance[]> {
    return this.state.deployment.instances
      .filter((i) => i.node_id === nodeId)
      .map(toRuntimeInstance);
  }

  async getNode(nodeId: string): Promise<RuntimeNode | undefined> {
    const node = this.state.deployment.nodes.find((n) => n.id === nodeId);
    return node && { id: node.id, properties: node.properties, relationships: node.relationships };
  }

  async getSecret(): Promise<Json | undefined> {
    return undefined;
  }

  async getCapability(): Promise<Json | undefined> {
    return undefined;
  }

  async getSys(entity: string, property: string): Promise<Json | undefined> {
    if (entity === 'tenant' && property === 'name') return LOCAL_TENANT;
    if (entity !== 'deployment') return undefined;
    const deployment = this.state.deployment.deployment;
    const values: Record<string, string> = {
      id: deployment.id,
      name: deployment.display_name,
      blueprint: this.state.blueprint_id,
      owner: deployment.creator,
    };
    return values[property];
  }

  async getLabel(): Promise<string[] | undefined> {
    return undefined;
  }

  async getInput(name: string): Promise<Json | undefined> {
    return this.state.inputs[name];
  }
}
