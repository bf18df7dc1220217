import { Controller, Get, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { SummaryItemDto } from './dto/summary-item.dto';
import { SummaryService } from './summary.service';

type Summary = Promise<ListEnvelope<SummaryItemDto>>;

const TARGET = ApiQuery({
  name: '_target_field',
  required: true,
  description: 'The field to count by (400 `bad_parameters_error` on a field not allowed)',
});
const SUB = ApiQuery({ name: '_sub_field', required: false, description: 'A second field' });

/** Counts per field value of several resources (GET /summary/<resource>). */
@Controller('summary')
@TenantScoped()
export class SummaryController {
  constructor(private readonly summary: SummaryService) {}

  /** By blueprint_id, tenant_name, visibility, site_name or deployment_status. */
  @Get('deployments')
  @RequirePermission('deployment_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  deployments(@Query() query: RawQuery, @Auth() auth: AuthContext): Summary {
    return this.summary.summarize('deployments', query, tenantScopeOf(auth));
  }

  /** By deployment_id, tenant_name or visibility. */
  @Get('nodes')
  @RequirePermission('node_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  nodes(@Query() query: RawQuery, @Auth() auth: AuthContext): Summary {
    return this.summary.summarize('nodes', query, tenantScopeOf(auth));
  }

  /** By deployment_id, index, node_id, state, host_id, tenant_name or visibility. */
  @Get('node_instances')
  @RequirePermission('node_instance_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  nodeInstances(@Query() query: RawQuery, @Auth() auth: AuthContext): Summary {
    return this.summary.summarize('node_instances', query, tenantScopeOf(auth));
  }

  /** By status, status_display, blueprint_id, deployment_id, workflow_id, tenant_name or visibility. */
  @Get('executions')
  @RequirePermission('execution_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  executions(@Query() query: RawQuery, @Auth() auth: AuthContext): Summary {
    return this.summary.summarize('executions', query, tenantScopeOf(auth));
  }

  /** By tenant_name or visibility. */
  @Get('blueprints')
  @RequirePermission('blueprint_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  blueprints(@Query() query: RawQuery, @Auth() auth: AuthContext): Summary {
    return this.summary.summarize('blueprints', query, tenantScopeOf(auth));
  }

  /** nestify stores no execution schedules: always empty (the fields are still checked). */
  @Get('execution_schedules')
  @RequirePermission('execution_schedule_list')
  @ApiListResponse(SummaryItemDto)
  @TARGET
  @SUB
  executionSchedules(@Query() query: RawQuery): ListEnvelope<SummaryItemDto> {
    return this.summary.executionSchedules(query);
  }
}
