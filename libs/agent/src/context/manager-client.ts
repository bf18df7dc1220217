import type { JsonMap } from '@nestify/plugin-sdk';

/** A node as `GET /nodes` lists it (the fields the ctx uses). */
export interface ManagerNode {
  id: string;
  type: string;
  type_hierarchy: string[] | null;
  properties: JsonMap | null;
  number_of_instances: number;
  relationships: Array<{ target_id: string; type: string; type_hierarchy?: string[] }> | null;
}

/** A node instance as `GET /node-instances/{id}` returns it. */
export interface ManagerNodeInstance {
  id: string;
  node_id: string;
  host_id: string | null;
  index: number | null;
  version: number;
  state: string;
  runtime_properties: JsonMap | null;
  relationships: Array<{ target_id: string; target_name: string; type: string }> | null;
  scaling_groups: Array<{ id: string; name: string }> | null;
}

/** The optimistic lock refused a write: someone changed the instance since it was read. */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
}

/**
 * What an operation's ctx needs from the manager, authenticated as the operation's execution and
 * scoped to its tenant. The REST implementation is `RestManagerClient`; tests may plug others.
 */
export interface ManagerClient {
  getNode(deploymentId: string, nodeId: string): Promise<ManagerNode>;
  getNodeInstance(instanceId: string): Promise<ManagerNodeInstance>;
  /** Replaces the runtime properties under the version lock; throws VersionConflictError on 409. */
  updateRuntimeProperties(
    instanceId: string,
    version: number,
    runtimeProperties: JsonMap,
  ): Promise<ManagerNodeInstance>;
  /** A file of the blueprint, by path relative to its root. */
  getBlueprintResource(blueprintId: string, path: string): Promise<Buffer>;
  /** Records a host agent (`PUT /agents/{name}`), or updates its state when it exists. */
  putAgent?(name: string, agent: AgentRecord): Promise<void>;
  /** Changes a host agent's state (`PATCH /agents/{name}`). */
  setAgentState?(name: string, state: string): Promise<void>;
  /** The stored state of an operation (`GET /operations/{id}`), or null when it is unknown. */
  getOperationState?(operationId: string): Promise<string | null>;
}

/** The body of `PUT /agents/{name}` (rest-api.md §2.8). */
export interface AgentRecord {
  node_instance_id: string;
  state: string;
  install_method: string;
  version: string;
  rabbitmq_exchange: string;
  create_rabbitmq_user: boolean;
  ip?: string;
  system?: string;
}

/** Who the client acts as: the execution token and tenant of one operation. */
export interface ManagerCredentials {
  baseUrl: string;
  executionToken: string | null;
  tenant: string;
}
