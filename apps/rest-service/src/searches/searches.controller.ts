import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { BLUEPRINT_FIELDS, BlueprintResponseDto } from '../blueprints/dto/blueprint-response.dto';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import {
  DEPLOYMENT_FIELDS,
  DeploymentResponseDto,
} from '../deployments/dto/deployment-response.dto';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { SearchBodyDto } from './dto/search-body.dto';
import { SearchesService } from './searches.service';

const DEPLOYMENT_SPEC = { fields: DEPLOYMENT_FIELDS, searchField: 'id' };
const BLUEPRINT_SPEC = { fields: BLUEPRINT_FIELDS, searchField: 'id' };

function lastString(raw: unknown): string | undefined {
  const all = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return all.length ? String(all[all.length - 1]) : undefined;
}

/** Lists narrowed by filter rules in the body (and/or a saved filter, `_filter_id`). */
@Controller('searches')
@TenantScoped()
export class SearchesController {
  constructor(private readonly searches: SearchesService) {}

  @Post('deployments')
  @HttpCode(200)
  @RequirePermission('deployment_list')
  @ApiListResponse(DeploymentResponseDto)
  @ApiQuery({ name: '_filter_id', required: false, schema: { type: 'string' } })
  @ApiQuery({ name: '_search_name', required: false, schema: { type: 'string' } })
  @ApiErrorResponse(400, 'A rule is malformed (`invalid_filter_rule`)')
  deployments(
    @Query() query: RawQuery,
    @Body() body: SearchBodyDto,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<DeploymentResponseDto>>> {
    return this.searches.searchDeployments(
      parseListQuery(query, DEPLOYMENT_SPEC),
      tenantScopeOf(auth),
      { body, filterId: lastString(query._filter_id) },
      { searchName: lastString(query._search_name), groupId: lastString(query._group_id) },
    );
  }

  @Post('blueprints')
  @HttpCode(200)
  @RequirePermission('blueprint_list')
  @ApiListResponse(BlueprintResponseDto)
  @ApiQuery({ name: '_filter_id', required: false, schema: { type: 'string' } })
  @ApiErrorResponse(400, 'A rule is malformed (`invalid_filter_rule`)')
  blueprints(
    @Query() query: RawQuery,
    @Body() body: SearchBodyDto,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<BlueprintResponseDto>>> {
    return this.searches.searchBlueprints(
      parseListQuery(query, BLUEPRINT_SPEC),
      tenantScopeOf(auth),
      { body, filterId: lastString(query._filter_id) },
    );
  }
}
