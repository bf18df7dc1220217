import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import {
  CreateExecutionGroupDto,
  ExecutionGroupActionDto,
  UpdateExecutionGroupDto,
} from './dto/execution-group-body.dto';
import {
  EXECUTION_GROUP_FIELDS,
  ExecutionGroupResponseDto,
} from './dto/execution-group-response.dto';
import { ExecutionGroupsService } from './execution-groups.service';

const LIST_SPEC = { fields: EXECUTION_GROUP_FIELDS };

@Controller('execution-groups')
@TenantScoped()
export class ExecutionGroupsController {
  constructor(private readonly groups: ExecutionGroupsService) {}

  /** Lists groups; `execution_ids` and `status` are rendered only with `_get_data=true`. */
  @Get()
  @RequirePermission('execution_group_list')
  @ApiListResponse(ExecutionGroupResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<ExecutionGroupResponseDto>>> {
    return this.groups.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  /** Runs a workflow over every deployment of a deployment group. */
  @Post()
  @HttpCode(201)
  @RequirePermission('execution_group_create')
  @ApiErrorResponse(404, 'The deployment group does not exist')
  create(
    @Body() body: CreateExecutionGroupDto,
    @Auth() auth: AuthContext,
  ): Promise<ExecutionGroupResponseDto> {
    return this.groups.create(body, tenantScopeOf(auth));
  }

  @Get(':id')
  @RequirePermission('execution_group_get')
  async get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<ExecutionGroupResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return pickFields(await this.groups.get(id, tenantScopeOf(auth)), fields);
  }

  /** cancel, force-cancel, kill, resume or force-resume every member it applies to. */
  @Post(':id')
  @HttpCode(200)
  @RequirePermission('execution_group_cancel')
  act(
    @Param('id') id: string,
    @Body() body: ExecutionGroupActionDto,
    @Auth() auth: AuthContext,
  ): Promise<ExecutionGroupResponseDto> {
    return this.groups.act(id, body.action, tenantScopeOf(auth));
  }

  /** Sets the success/failure deployment groups and the concurrency. */
  @Patch(':id')
  @RequirePermission('execution_group_update')
  update(
    @Param('id') id: string,
    @Body() body: UpdateExecutionGroupDto,
    @Auth() auth: AuthContext,
  ): Promise<ExecutionGroupResponseDto> {
    return this.groups.update(id, body, tenantScopeOf(auth));
  }
}
