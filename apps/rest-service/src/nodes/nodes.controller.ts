import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { CreateNodesDto } from './dto/create-nodes.dto';
import { NODE_FIELDS, NodeResponseDto } from './dto/node-response.dto';
import { NodesService } from './nodes.service';

// `_evaluate_functions` and `_instance_context` are accepted (parseListQuery leaves unknown `_`
// parameters alone) but not acted on yet: intrinsic functions are returned unevaluated.
const LIST_SPEC = { fields: NODE_FIELDS, searchField: 'id' };

@Controller('nodes')
@TenantScoped()
export class NodesController {
  constructor(private readonly nodes: NodesService) {}

  @Get()
  @RequirePermission('node_list')
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<NodeResponseDto>>> {
    return this.nodes.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  /** Bulk insert by create-deployment-environment: 201, or 204 for an empty list. */
  // Cloudify guards this with `node_list` (manager_rest/rest/resources_v3_1/nodes.py).
  @Post()
  @RequirePermission('node_list')
  async create(
    @Body() body: CreateNodesDto,
    @Auth() auth: AuthContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<void> {
    const inserted = await this.nodes.createMany(body, tenantScopeOf(auth));
    response.status(inserted ? 201 : 204);
  }
}
