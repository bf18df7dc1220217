import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope, pickFields } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { CreateFilterDto, UpdateFilterDto } from './dto/filter-body.dto';
import { FILTER_FIELDS, FilterResponseDto } from './dto/filter-response.dto';
import { filteredResourceOf, FiltersService } from './filters.service';

const LIST_SPEC = { fields: FILTER_FIELDS, searchField: 'id' };
const RESOURCE_PARAM = { name: 'resource', enum: ['deployments', 'blueprints'] };

/** Saved filters: `/filters/deployments[/{id}]` and `/filters/blueprints[/{id}]`. */
@Controller('filters')
@TenantScoped()
export class FiltersController {
  constructor(private readonly filters: FiltersService) {}

  @Get(':resource')
  @RequirePermission('filter_list')
  @ApiParam(RESOURCE_PARAM)
  @ApiListResponse(FilterResponseDto)
  list(
    @Param('resource') resource: string,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<FilterResponseDto>>> {
    return this.filters.list(
      filteredResourceOf(resource),
      parseListQuery(query, LIST_SPEC),
      tenantScopeOf(auth),
    );
  }

  @Get(':resource/:id')
  @RequirePermission('filter_get')
  @ApiParam(RESOURCE_PARAM)
  async get(
    @Param('resource') resource: string,
    @Param('id') id: string,
    @Query('_include') include: unknown,
    @Auth() auth: AuthContext,
  ): Promise<Partial<FilterResponseDto>> {
    const fields = parseListQuery({ _include: include }, LIST_SPEC).include;
    const filter = await this.filters.get(filteredResourceOf(resource), id, tenantScopeOf(auth));
    return pickFields(filter, fields);
  }

  @Put(':resource/:id')
  @HttpCode(200)
  @RequirePermission('filter_create')
  @ApiParam(RESOURCE_PARAM)
  @ApiErrorResponse(400, 'A rule is malformed (`invalid_filter_rule`)')
  @ApiErrorResponse(409, 'A filter with that id exists (`conflict_error`)')
  create(
    @Param('resource') resource: string,
    @Param('id') id: string,
    @Body() body: CreateFilterDto,
    @Auth() auth: AuthContext,
  ): Promise<FilterResponseDto> {
    return this.filters.create(filteredResourceOf(resource), id, body, tenantScopeOf(auth));
  }

  @Patch(':resource/:id')
  @RequirePermission('filter_update')
  @ApiParam(RESOURCE_PARAM)
  @ApiErrorResponse(400, 'A rule is malformed (`invalid_filter_rule`) or nothing to update')
  update(
    @Param('resource') resource: string,
    @Param('id') id: string,
    @Body() body: UpdateFilterDto,
    @Auth() auth: AuthContext,
  ): Promise<FilterResponseDto> {
    return this.filters.update(filteredResourceOf(resource), id, body, tenantScopeOf(auth));
  }

  @Delete(':resource/:id')
  @HttpCode(204)
  @RequirePermission('filter_delete')
  @ApiParam(RESOURCE_PARAM)
  async delete(
    @Param('resource') resource: string,
    @Param('id') id: string,
    @Auth() auth: AuthContext,
  ): Promise<void> {
    await this.filters.delete(filteredResourceOf(resource), id, tenantScopeOf(auth));
  }
}
