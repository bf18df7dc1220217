import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { CreateSiteDto, UpdateSiteDto } from './dto/site-body.dto';
import { SITE_FIELDS, SiteResponseDto } from './dto/site-response.dto';
import { SitesService } from './sites.service';

const LIST_SPEC = { fields: SITE_FIELDS, searchField: 'name' };

@Controller('sites')
@TenantScoped()
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @RequirePermission('site_list')
  @ApiListResponse(SiteResponseDto)
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<SiteResponseDto>>> {
    return this.sites.list(parseListQuery(query, LIST_SPEC), tenantScopeOf(auth));
  }

  @Get(':name')
  @RequirePermission('site_get')
  get(@Param('name') name: string, @Auth() auth: AuthContext): Promise<SiteResponseDto> {
    return this.sites.get(name, tenantScopeOf(auth));
  }

  @Put(':name')
  @HttpCode(200)
  @RequirePermission('site_create')
  @ApiErrorResponse(409, 'A site of that name exists (`conflict_error`)')
  create(
    @Param('name') name: string,
    @Body() body: CreateSiteDto,
    @Auth() auth: AuthContext,
  ): Promise<SiteResponseDto> {
    return this.sites.create(name, body, tenantScopeOf(auth));
  }

  @Post(':name')
  @HttpCode(200)
  @RequirePermission('site_update')
  @ApiErrorResponse(409, 'A site named `new_name` exists (`conflict_error`)')
  update(
    @Param('name') name: string,
    @Body() body: UpdateSiteDto,
    @Auth() auth: AuthContext,
  ): Promise<SiteResponseDto> {
    return this.sites.update(name, body, tenantScopeOf(auth));
  }

  @Delete(':name')
  @HttpCode(204)
  @RequirePermission('site_delete')
  async delete(@Param('name') name: string, @Auth() auth: AuthContext): Promise<void> {
    await this.sites.delete(name, tenantScopeOf(auth));
  }
}
