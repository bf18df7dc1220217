import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { isAllowedFor } from '../auth/permissions';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { DeploymentCreationService } from './deployment-creation.service';
import { Caller, DeploymentsService } from './deployments.service';
import { CreateDeploymentDto } from './dto/create-deployment.dto';
import {
  DEPLOYMENT_FIELDS,
  DeploymentCapabilitiesDto,
  DeploymentOutputsDto,
  DeploymentResponseDto,
} from './dto/deployment-response.dto';
import { DeploymentVisibilityDto } from './dto/deployment-visibility.dto';
import { SetSiteDto } from './dto/set-site.dto';

const LIST_SPEC = { fields: DEPLOYMENT_FIELDS, searchField: 'id' };

function callerOf(auth: AuthContext): Caller {
  return {
    ...tenantScopeOf(auth),
    username: auth.user.username,
    mayCreateGlobal: isAllowedFor(auth, 'create_global_resource'),
  };
}

function lastString(raw: unknown): string | undefined {
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return all.length ? String(all[all.length - 1]) : undefined;
}

@Controller('deployments')
@TenantScoped()
export class DeploymentsController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly creation: DeploymentCreationService,
  ) {}

  /** Lists deployments; `_search` matches ids, `_search_name` display names. */
  @Get()
  @RequirePermission('deployment_list')
  @ApiListResponse(DeploymentResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<DeploymentResponseDto>>> {
    return this.deployments.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth), {
      searchName: lastString(query._search_name),
      groupId: lastString(query._group_id),
      filterId: lastString(query._filter_id),
    });
  }

  @Get(':id')
  @RequirePermission('deployment_get')
  get(
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<DeploymentResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    return this.deployments.get(id, tenantScopeOf(auth), fields);
  }

  /**
   * Creates a deployment of an uploaded blueprint. Answers 400 `deployment_creation_error` when
   * creation fails (the failed deployment is kept, as in Cloudify, unless `async_create`).
   */
  @Put(':id')
  @HttpCode(201)
  @RequirePermission('deployment_create')
  @ApiErrorResponse(409, 'A deployment with that id exists (`conflict_error`)')
  async create(
    @Param('id') id: string,
    @Body() body: CreateDeploymentDto,
    @Query('async_create') asyncCreate: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<DeploymentResponseDto>> {
    const caller = callerOf(auth);
    await this.creation.create(id, body, caller, parseBoolean(asyncCreate, 'async_create'));
    return this.deployments.get(id, caller);
  }

  /** Deletes the deployment with its nodes, instances, executions and events. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('deployment_delete')
  async delete(
    @Param('id') id: string,
    @Query('force') force: unknown,
    @Auth() auth: AuthContext,
  ): Promise<void> {
    await this.deployments.delete(id, parseBoolean(force, 'force'), tenantScopeOf(auth));
  }

  /** The outputs, their functions evaluated now. */
  @Get(':id/outputs')
  @RequirePermission('deployment_modification_outputs')
  outputs(@Param('id') id: string, @Auth() auth: AuthContext): Promise<DeploymentOutputsDto> {
    return this.deployments.outputs(id, tenantScopeOf(auth));
  }

  /** The capabilities, their functions evaluated now. */
  @Get(':id/capabilities')
  @RequirePermission('deployment_capabilities')
  capabilities(
    @Param('id') id: string,
    @Auth() auth: AuthContext,
  ): Promise<DeploymentCapabilitiesDto> {
    return this.deployments.capabilities(id, tenantScopeOf(auth));
  }

  @Patch(':id/set-visibility')
  @RequirePermission('deployment_set_visibility')
  setVisibility(
    @Param('id') id: string,
    @Body() body: DeploymentVisibilityDto,
    @Auth() auth: AuthContext,
  ): Promise<Partial<DeploymentResponseDto>> {
    return this.deployments.setVisibility(id, body.visibility, callerOf(auth));
  }

  @Post(':id/set-site')
  @HttpCode(200)
  @RequirePermission('deployment_set_site')
  setSite(
    @Param('id') id: string,
    @Body() body: SetSiteDto,
    @Auth() auth: AuthContext,
  ): Promise<Partial<DeploymentResponseDto>> {
    return this.deployments.setSite(id, body, tenantScopeOf(auth));
  }
}
