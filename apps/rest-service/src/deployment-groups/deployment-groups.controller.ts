import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { isAllowedFor } from '../auth/permissions';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { PatchDeploymentGroupDto, PutDeploymentGroupDto } from './dto/deployment-group-body.dto';
import {
  DEPLOYMENT_GROUP_FIELDS,
  DeploymentGroupResponseDto,
} from './dto/deployment-group-response.dto';
import { Caller } from '../deployments/deployments.service';
import { DeploymentGroupsService } from './deployment-groups.service';

/** Creating deployments (`new_deployments`) needs what PUT /deployments/{id} knows of the caller. */
function callerOf(auth: AuthContext): Caller {
  return {
    ...tenantScopeOf(auth),
    username: auth.user.username,
    mayCreateGlobal: isAllowedFor(auth, 'create_global_resource'),
  };
}

const LIST_SPEC = { fields: DEPLOYMENT_GROUP_FIELDS };

@Controller('deployment-groups')
@TenantScoped()
export class DeploymentGroupsController {
  constructor(private readonly groups: DeploymentGroupsService) {}

  @Get()
  @RequirePermission('deployment_group_list')
  @ApiListResponse(DeploymentGroupResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<DeploymentGroupResponseDto>>> {
    return this.groups.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':id')
  @RequirePermission('deployment_group_get')
  async get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<DeploymentGroupResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return pickFields(await this.groups.get(id, tenantScopeOf(auth)), fields);
  }

  /** Creates the group or updates it (member sources given replace its members). */
  @Put(':id')
  @HttpCode(200)
  @RequirePermission('deployment_group_create')
  @ApiErrorResponse(404, 'A named blueprint, deployment, filter or group does not exist')
  put(
    @Param('id') id: string,
    @Body() body: PutDeploymentGroupDto,
    @Auth() auth: AuthContext,
  ): Promise<DeploymentGroupResponseDto> {
    return this.groups.put(id, body, callerOf(auth));
  }

  /** `{add: {...}, remove: {...}}` members. */
  @Patch(':id')
  @RequirePermission('deployment_group_update')
  patch(
    @Param('id') id: string,
    @Body() body: PatchDeploymentGroupDto,
    @Auth() auth: AuthContext,
  ): Promise<DeploymentGroupResponseDto> {
    return this.groups.patch(id, body, callerOf(auth));
  }

  /** Deletes the group (its deployments stay). */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('deployment_group_delete')
  async delete(
    @Param('id') id: string,
    @Query('delete_deployments') deleteDeployments: unknown,
    @Auth() auth: AuthContext,
  ): Promise<void> {
    await this.groups.delete(
      id,
      parseBoolean(deleteDeployments, 'delete_deployments'),
      tenantScopeOf(auth),
    );
  }
}
