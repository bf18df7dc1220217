import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { BlueprintsService } from './blueprints.service';

const KEYS_SPEC = { fields: [], searchField: 'key' };
const VALUES_SPEC = { fields: [], searchField: 'value' };

/** Label keys and values in use on blueprints (the UI's label pickers). */
@Controller('labels/blueprints')
@TenantScoped()
export class BlueprintLabelsController {
  constructor(private readonly blueprints: BlueprintsService) {}

  @Get()
  @RequirePermission('labels_list')
  keys(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<ListEnvelope<string>> {
    return this.blueprints.labels(parseListQuery(query, KEYS_SPEC), tenantScopeOf(auth), {
      reserved: parseBoolean(query._reserved, '_reserved'),
    });
  }

  @Get(':key')
  @RequirePermission('labels_list')
  values(
    @Param('key') key: string,
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<string>> {
    return this.blueprints.labels(parseListQuery(query, VALUES_SPEC), tenantScopeOf(auth), {
      key: key.toLowerCase(),
    });
  }
}
