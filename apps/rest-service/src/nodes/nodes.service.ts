import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@nestify/common';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateNodesDto } from './dto/create-nodes.dto';
import { NodeResponseDto } from './dto/node-response.dto';
import { newNodeRow } from './new-nodes';
import { NodesRepository } from './nodes.repository';

/** Nodes of deployments: listed by anyone in the tenant, created by create-deployment-environment. */
@Injectable()
export class NodesService {
  constructor(private readonly nodes: NodesRepository) {}

  async list(
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<NodeResponseDto>>> {
    const { items, total } = await this.nodes.list(query, scope);
    return listEnvelope(items, total, query);
  }

  /** POST /nodes: inserts a deployment's plan nodes together. Returns how many. */
  async createMany(body: CreateNodesDto, scope: TenantScope): Promise<number> {
    if (!body.nodes.length) return 0;
    const deployment = await this.nodes.findDeployment(body.deployment_id, scope);
    if (!deployment) throw new NotFoundError('Deployment', body.deployment_id);
    const parent = {
      deploymentFk: deployment.storageId,
      tenantId: deployment.tenantId,
      visibility: deployment.visibility,
      creatorId: scope.userId,
    };
    const rows = body.nodes.map((node) => newNodeRow(node, parent));
    await this.nodes.insertMany(rows);
    return rows.length;
  }
}
