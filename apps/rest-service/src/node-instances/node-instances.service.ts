import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@nestify/common';
import { RawJson, rawListEnvelope } from '../common/list/json-page';
import { pickFields } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateNodeInstancesDto } from './dto/create-node-instances.dto';
import { NodeInstanceResponseDto } from './dto/node-instance-response.dto';
import { UpdateNodeInstanceDto } from './dto/update-node-instance.dto';
import { applyRenames, assignIndexes, findInstanceRenames, newInstanceRow } from './new-instances';
import { instanceChanges, versionConflictMessage } from './node-instance-update';
import { NodeInstanceRow, NodeInstancesRepository } from './node-instances.repository';
import {
  DEPLOYMENT_UPDATE_WORKFLOWS,
  OnlyDeploymentUpdateError,
} from './only-deployment-update.error';

/** Lost races a PATCH retries (re-reading the row) before answering 409. */
const MAX_UPDATE_ATTEMPTS = 20;

/** Who is calling: the tenant scope, and the execution when a workflow calls back. */
export interface Caller {
  scope: TenantScope;
  executionId?: string;
}

/**
 * The row without its internal columns. Copied key by key rather than spread-then-`delete`: a
 * deleted property turns the object into a slow dictionary, which JSON.stringify of a
 * 1,000-row page then pays for (measured with bench/rest.bench.ts).
 */
function toResponse(row: NodeInstanceRow): NodeInstanceResponseDto {
  const response: Record<string, unknown> = {};
  for (const key in row) {
    if (key !== '_storage_id') {
      response[key] = row[key as keyof NodeInstanceRow];
    }
  }
  return response as unknown as NodeInstanceResponseDto;
}

/** Node instances: read by anyone in the tenant, updated and created by workflows. */
@Injectable()
export class NodeInstancesService {
  constructor(private readonly instances: NodeInstancesRepository) {}

  /** The page serialised by the database (pages of thousands of instances are common). */
  async list(query: ListQuery, scope: TenantScope): Promise<RawJson> {
    return rawListEnvelope(await this.instances.listJson(query, scope), query);
  }

  async get(
    id: string,
    scope: TenantScope,
    include?: string[],
  ): Promise<Partial<NodeInstanceResponseDto>> {
    return pickFields(toResponse(await this.require(id, scope)), include);
  }

  /**
   * PATCH with Cloudify's optimistic lock: an older version than stored is a conflict unless
   * forced; non-null fields replace the stored ones; the version grows only when the row
   * changes. The write is a version-checked UPDATE, so of two PATCHes made from the same
   * version one wins and the other, re-reading the newer version, gets the 409.
   */
  async update(
    id: string,
    body: UpdateNodeInstanceDto,
    force: boolean,
    caller: Caller,
  ): Promise<NodeInstanceResponseDto> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
      const row = await this.require(id, caller.scope);
      if (!force && row.version > body.version)
        throw new ConflictError(versionConflictMessage(row.version, body.version));
      const changes = instanceChanges(
        {
          state: row.state,
          runtimeProperties: row.runtime_properties,
          systemProperties: row.system_properties,
          relationships: row.relationships,
        },
        body,
      );
      if (!Object.keys(changes).length) return toResponse(row);
      if (changes.relationships && !(await this.isDeploymentUpdate(caller)))
        throw new OnlyDeploymentUpdateError('Node instance relationships');
      const updated = await this.instances.updateIfVersion(row._storage_id, row.version, changes);
      if (updated !== null) return toResponse(await this.require(id, caller.scope));
    }
    throw new ConflictError(`Node instance ${id} is being updated too often, try again`);
  }

  /**
   * POST /node-instances: inserts a deployment's new instances in one transaction, renaming ids
   * that are taken, numbering each node's instances on from its highest index. Returns how many
   * were inserted.
   */
  async createMany(body: CreateNodeInstancesDto, scope: TenantScope): Promise<number> {
    if (!body.node_instances.length) return 0;
    const deployment = await this.instances.findDeployment(body.deployment_id, scope);
    if (!deployment) throw new NotFoundError('Deployment', body.deployment_id);
    const nodes = new Map(
      (await this.instances.nodesOfDeployment(deployment.storageId)).map((n) => [n.id, n]),
    );
    const parents = body.node_instances.map((instance) => {
      const node = nodes.get(instance.node_id);
      if (!node) throw new NotFoundError('Node', instance.node_id);
      return node;
    });
    const renames = await findInstanceRenames(body.node_instances, (ids) =>
      this.instances.takenIds(ids, deployment.tenantId),
    );
    const instances = body.node_instances.map((instance) => applyRenames(instance, renames));
    const indexes = assignIndexes(
      instances,
      await this.instances.highestIndexes(deployment.storageId),
    );
    const rows = instances.map((instance, i) =>
      newInstanceRow(instance, indexes[i], {
        tenantId: deployment.tenantId,
        creatorId: scope.userId,
        nodeFk: parents[i].storageId,
        visibility: parents[i].visibility,
      }),
    );
    await this.instances.insertMany(rows);
    return rows.length;
  }

  private async isDeploymentUpdate(caller: Caller): Promise<boolean> {
    if (!caller.executionId) return false;
    const workflow = await this.instances.workflowOfExecution(caller.executionId, caller.scope);
    return workflow !== undefined && DEPLOYMENT_UPDATE_WORKFLOWS.has(workflow);
  }

  private async require(id: string, scope: TenantScope): Promise<NodeInstanceRow> {
    const row = await this.instances.findVisible(id, scope);
    if (!row) throw new NotFoundError('NodeInstance', id);
    return row;
  }
}
