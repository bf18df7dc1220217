import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { DeploymentsService } from './deployments.service';

const KEYS_SPEC = { fields: [], searchField: 'key' };
const VALUES_SPEC = { fields: [], searchField: 'value' };

/** Label keys and values in use on deployments (the UI's label pickers). */
@Controller('labels/deployments')
@TenantScoped()
export class DeploymentLabelsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Get()
  @RequirePermission('labels_list')
  keys(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<ListEnvelope<string>> {
    return this.deployments.labels(parseListQuery(query, KEYS_SPEC), tenantScopeOf(auth));
  }

  @Get(':key')
  @RequirePermission('labels_list')
  values(
    @Param('key') key: string,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<string>> {
    return this.deployments.labels(
      parseListQuery(query, VALUES_SPEC),
      tenantScopeOf(auth),
      key.toLowerCase(),
    );
  }
}
