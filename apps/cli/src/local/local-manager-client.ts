import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ManagerClient, ManagerNode, ManagerNodeInstance } from '@nestify/agent';
import { HttpException, type JsonMap } from '@nestify/plugin-sdk';
import type { NodeInstanceData } from '@nestify/workflows';
import type { LocalDeploymentStore } from './local-deployment-store';

function toManagerInstance(instance: NodeInstanceData): ManagerNodeInstance {
  return {
    id: instance.id,
    node_id: instance.node_id,
    host_id: instance.host_id,
    index: instance.index,
    version: instance.version,
    state: instance.state,
    runtime_properties: instance.runtime_properties,
    relationships: instance.relationships,
    scaling_groups: instance.scaling_groups,
  };
}

/**
 * What an operation's ctx reads and writes, answered from the local deployment instead of the
 * manager's REST API; blueprint resources come from the blueprint's own folder.
 */
export class LocalManagerClient implements ManagerClient {
  constructor(
    private readonly store: LocalDeploymentStore,
    private readonly blueprintRoot: string,
  ) {}

  async getNode(_deploymentId: string, nodeId: string): Promise<ManagerNode> {
    const node = this.store.node(nodeId);
    return {
      id: node.id,
      type: node.type,
      type_hierarchy: node.type_hierarchy,
      properties: structuredClone(node.properties) as JsonMap,
      number_of_instances: node.number_of_instances,
      relationships: node.relationships.map((r) => ({
        target_id: r.target_id,
        type: r.type,
        type_hierarchy: r.type_hierarchy,
      })),
    };
  }

  async getNodeInstance(instanceId: string): Promise<ManagerNodeInstance> {
    return toManagerInstance(this.store.readInstance(instanceId));
  }

  async updateRuntimeProperties(
    instanceId: string,
    version: number,
    runtimeProperties: JsonMap,
  ): Promise<ManagerNodeInstance> {
    const written = await this.store.writeRuntimeProperties(instanceId, version, runtimeProperties);
    return toManagerInstance(written);
  }

  /** A file under the blueprint's folder; paths that leave it are refused. */
  async getBlueprintResource(_blueprintId: string, path: string): Promise<Buffer> {
    const file = resolve(this.blueprintRoot, path);
    const inside = relative(this.blueprintRoot, file);
    const leaves = inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
    if (inside === '' || leaves) {
      throw new HttpException(file, 400, `resource path ${path} is outside the blueprint folder`);
    }
    try {
      return await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR') {
        throw new HttpException(file, 404, `resource ${path} not found in ${this.blueprintRoot}`);
      }
      throw error;
    }
  }
}
