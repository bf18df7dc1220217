import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import {
  CreateDependenciesDto,
  DependencyDto,
  ReplaceDependenciesDto,
} from './dto/inter-deployment-dependency-body.dto';
import {
  CreatedDependenciesDto,
  INTER_DEPLOYMENT_DEPENDENCY_FIELDS,
  InterDeploymentDependencyResponseDto,
} from './dto/inter-deployment-dependency-response.dto';
import { InterDeploymentDependenciesService } from './inter-deployment-dependencies.service';

const LIST_SPEC = { fields: INTER_DEPLOYMENT_DEPENDENCY_FIELDS, searchField: 'id' };

/**
 * /deployments/inter-deployment-dependencies. Registered before the deployments controller so
 * that its literal path wins over `/deployments/{id}`.
 */
@Controller('deployments')
@TenantScoped()
export class InterDeploymentDependenciesController {
  constructor(private readonly dependencies: InterDeploymentDependenciesService) {}

  @Get('inter-deployment-dependencies')
  @RequirePermission('inter_deployment_dependency_list')
  @ApiListResponse(InterDeploymentDependencyResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<InterDeploymentDependencyResponseDto>>> {
    return this.dependencies.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  /** Creates one dependency. */
  @Put('inter-deployment-dependencies')
  @HttpCode(200)
  @RequirePermission('inter_deployment_dependency_create')
  @ApiErrorResponse(404, 'The source (or the target, without a target function) does not exist')
  @ApiErrorResponse(409, 'The dependency would close a cycle')
  create(
    @Body() body: DependencyDto,
    @Auth() auth: AuthContext,
  ): Promise<InterDeploymentDependencyResponseDto> {
    return this.dependencies.create(body, tenantScopeOf(auth));
  }

  /** Creates several dependencies of one source; answers their ids. */
  @Post('inter-deployment-dependencies')
  @HttpCode(200)
  @RequirePermission('inter_deployment_dependency_create')
  @ApiErrorResponse(409, 'A dependency would close a cycle')
  createMany(
    @Body() body: CreateDependenciesDto,
    @Auth() auth: AuthContext,
  ): Promise<CreatedDependenciesDto> {
    return this.dependencies.createMany(
      body.source_deployment_id,
      body.inter_deployment_dependencies,
      tenantScopeOf(auth),
      false,
    );
  }

  @Delete('inter-deployment-dependencies')
  @HttpCode(204)
  @RequirePermission('inter_deployment_dependency_delete')
  async delete(@Body() body: DependencyDto, @Auth() auth: AuthContext): Promise<void> {
    await this.dependencies.delete(body, tenantScopeOf(auth));
  }

  /** Replaces every dependency of the deployment. */
  @Put(':id/inter-deployment-dependencies')
  @HttpCode(200)
  @RequirePermission('inter_deployment_dependency_create')
  replace(
    @Param('id') id: string,
    @Body() body: ReplaceDependenciesDto,
    @Auth() auth: AuthContext,
  ): Promise<CreatedDependenciesDto> {
    return this.dependencies.createMany(
      id,
      body.inter_deployment_dependencies,
      tenantScopeOf(auth),
      true,
    );
  }
}
