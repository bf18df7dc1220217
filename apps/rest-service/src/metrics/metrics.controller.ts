import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ListMetadataDto } from '../openapi/list-envelope.dto';
import { ListMetricsQueryDto } from './dto/list-metrics-query.dto';
import { MetricValueDto } from './dto/metric-value.dto';
import { MetricsService } from './metrics.service';

/** The metrics store (Cloudify 4 kept these in InfluxDB): what agents sent, and its rollups. */
@Controller('metrics')
@TenantScoped()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @RequirePermission('deployment_get')
  @ApiExtraModels(MetricValueDto, ListMetadataDto)
  @ApiOkResponse({
    description: 'One page of values, oldest first',
    schema: {
      type: 'object',
      required: ['items', 'metadata'],
      properties: {
        items: { type: 'array', items: { $ref: getSchemaPath(MetricValueDto) } },
        metadata: { $ref: getSchemaPath(ListMetadataDto) },
      },
    },
  })
  list(
    @Query() query: ListMetricsQueryDto,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<MetricValueDto>> {
    return this.metrics.list(query, tenantScopeOf(auth));
  }
}
