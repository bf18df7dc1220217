import type { Json, JsonObject as DslJsonObject, RuntimeStorage } from '@nestify/dsl';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { SecretsService } from '../secrets/secrets.service';
import { DeploymentRow, LabelRow } from './deployment-response';
import { DeploymentsRepository, RuntimeInstanceRow } from './deployments.repository';

type RuntimeInstance = Awaited<ReturnType<RuntimeStorage['getNodeInstance']>>;

function toRuntimeInstance(row: RuntimeInstanceRow): NonNullable<RuntimeInstance> {
  return {
    id: row.id,
    node_id: row.node_id,
    host_id: row.host_id,
    runtime_properties: (row.runtime_properties ?? {}) as DslJsonObject,
    relationships: row.relationships ?? [],
    scaling_groups: row.scaling_groups ?? [],
    index: row.index ?? undefined,
  };
}

/**
 * What intrinsic functions read of one deployment, from the database: its node instances' runtime
 * properties, its nodes' properties, the tenant's secrets (decrypted by the secrets context),
 * other deployments' capabilities, its labels, inputs and `get_sys` facts.
 */
export class DeploymentRuntimeStorage implements RuntimeStorage {
  constructor(
    private readonly deployment: DeploymentRow,
    private readonly labels: LabelRow[],
    private readonly scope: TenantScope,
    private readonly deployments: DeploymentsRepository,
    private readonly secrets: SecretsService,
    /** Another deployment's capability, evaluated (undefined when it does not declare it). */
    private readonly capabilityOf: (
      deploymentId: string,
      name: string,
    ) => Promise<Json | undefined>,
  ) {}

  async getNodeInstance(id: string): Promise<RuntimeInstance> {
    const [row] = await this.deployments.runtimeInstances(this.deployment._storage_id, { id });
    return row ? toRuntimeInstance(row) : undefined;
  }

  async getNodeInstances(nodeId: string): Promise<NonNullable<RuntimeInstance>[]> {
    const rows = await this.deployments.runtimeInstances(this.deployment._storage_id, { nodeId });
    return rows.map(toRuntimeInstance);
  }

  async getNode(nodeId: string): ReturnType<RuntimeStorage['getNode']> {
    const node = await this.deployments.runtimeNode(this.deployment._storage_id, nodeId);
    if (!node) return undefined;
    return {
      id: node.id,
      properties: (node.properties ?? {}) as DslJsonObject,
      relationships: (node.relationships ?? []) as {
        target_id: string;
        type?: string;
        type_hierarchy?: string[];
      }[],
    };
  }

  async getSecret(key: string): Promise<Json | undefined> {
    return (await this.secrets.valueFor(key, this.scope)) as Json | undefined;
  }

  getCapability(deploymentId: string, capability: string): Promise<Json | undefined> {
    return this.capabilityOf(deploymentId, capability);
  }

  async getSys(entity: string, property: string): Promise<Json | undefined> {
    if (entity === 'tenant' && property === 'name') return this.scope.tenantName;
    if (entity !== 'deployment') return undefined;
    switch (property) {
      case 'id':
        return this.deployment.id;
      case 'name':
        return this.deployment.display_name ?? this.deployment.id;
      case 'blueprint':
        return this.deployment.blueprint_id;
      case 'owner':
        return this.deployment.created_by;
      default:
        return undefined;
    }
  }

  async getLabel(key: string): Promise<string[] | undefined> {
    const values = this.labels.filter((label) => label.key === key).map((label) => label.value);
    return values.length ? values : undefined;
  }

  async getInput(name: string): Promise<Json | undefined> {
    const inputs = this.deployment.inputs ?? {};
    return Object.hasOwn(inputs, name) ? (inputs[name] as Json) : undefined;
  }
}
