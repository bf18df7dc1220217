import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { RawJsonInterceptor } from '../common/interceptors/raw-json.interceptor';
import { RawJson } from '../common/list/json-page';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { CreateNodeInstancesDto } from './dto/create-node-instances.dto';
import { NODE_INSTANCE_FIELDS, NodeInstanceResponseDto } from './dto/node-instance-response.dto';
import { UpdateNodeInstanceDto } from './dto/update-node-instance.dto';
import { NodeInstancesService } from './node-instances.service';

// `_evaluate_functions` is accepted on the list and on GET by id (parseListQuery leaves unknown
// `_` parameters alone) but not acted on yet: intrinsic functions are returned unevaluated.
const LIST_SPEC = { fields: NODE_INSTANCE_FIELDS, searchField: 'id' };

@Controller('node-instances')
@TenantScoped()
export class NodeInstancesController {
  constructor(private readonly instances: NodeInstancesService) {}

  @Get()
  @RequirePermission('node_instance_list')
  @ApiListResponse(NodeInstanceResponseDto)
  @UseInterceptors(RawJsonInterceptor)
  list(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<RawJson> {
    return this.instances.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':id')
  @RequirePermission('node_instance_get')
  get(
    @Param('id') id: string,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<Partial<NodeInstanceResponseDto>> {
    const { include } = parseListQuery({ _include: query._include }, LIST_SPEC);
    return this.instances.get(id, tenantScopeOf(auth), include);
  }

  @Patch(':id')
  @HttpCode(200)
  @RequirePermission('node_instance_update')
  update(
    @Param('id') id: string,
    @Body() body: UpdateNodeInstanceDto,
    @Query('force') force: unknown,
    @Auth() auth: AuthContext,
  ): Promise<NodeInstanceResponseDto> {
    return this.instances.update(id, body, parseBoolean(force, 'force'), {
      scope: tenantScopeOf(auth),
      executionId: auth.executionId,
    });
  }

  /** Bulk insert by the workflow engine: 201, or 204 for an empty list. */
  // Cloudify guards this with `node_list` (manager_rest/rest/resources_v3_1/nodes.py).
  @Post()
  @RequirePermission('node_list')
  async create(
    @Body() body: CreateNodeInstancesDto,
    @Auth() auth: AuthContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<void> {
    const inserted = await this.instances.createMany(body, tenantScopeOf(auth));
    response.status(inserted ? 201 : 204);
  }
}
