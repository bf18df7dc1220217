import { Inject, Injectable } from '@nestjs/common';
import { BadParametersError, formatTimestamp } from '@nestify/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { ListEnvelope } from '../common/list/list-envelope';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { ListMetricsQueryDto } from './dto/list-metrics-query.dto';
import { MetricValueDto } from './dto/metric-value.dto';
import { MetricRow, MetricsFilter, MetricsRepository } from './metrics.repository';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const DEFAULT_RANGE_MS = 60 * 60 * 1000;
const DEFAULT_SIZE = 1000;

/** `"300"`, `"5m"` → seconds. */
export function intervalSeconds(interval: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(interval);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's'] : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > 366 * 86400)
    throw new BadParametersError(`Invalid interval '${interval}': a positive number of seconds`);
  return seconds;
}

/** ISO 8601 or Unix seconds → a Date. */
export function parseInstant(value: string, name: string): Date {
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new BadParametersError(`Invalid ${name} '${value}': ISO 8601 or Unix seconds`);
  return date;
}

function toDto(row: MetricRow, source: 'raw' | 'rollup', bucketed: boolean): MetricValueDto {
  const dto: MetricValueDto = {
    deployment_id: row.deployment_id,
    node_instance_id: row.node_instance_id,
    node_name: row.node_name,
    metric: row.metric,
    time: formatTimestamp(row.time) ?? '',
    value: Number(row.value),
    source,
  };
  if (bucketed) Object.assign(dto, { count: row.count, min: row.min, max: row.max });
  return dto;
}

/** The metrics store's read side: raw values, or buckets from rollups where they fit. */
@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: MetricsRepository,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  async list(
    query: ListMetricsQueryDto,
    scope: TenantScope,
  ): Promise<ListEnvelope<MetricValueDto>> {
    const to = query.to ? parseInstant(query.to, 'to') : new Date();
    const from = query.from
      ? parseInstant(query.from, 'from')
      : new Date(to.getTime() - DEFAULT_RANGE_MS);
    const filter: MetricsFilter = {
      tenantId: scope.tenantId,
      deploymentId: query.deployment_id,
      nodeInstanceId: query.node_instance_id,
      metric: query.metric,
      from,
      to,
      size: query._size ?? DEFAULT_SIZE,
      offset: query._offset ?? 0,
    };
    const { rows, source, bucketed } = await this.query(filter, query);
    return {
      items: rows.map((row) => toDto(row, source, bucketed)),
      metadata: {
        pagination: { total: rows[0]?.total ?? 0, size: filter.size, offset: filter.offset },
        filtered: null,
      },
    };
  }

  private async query(filter: MetricsFilter, query: ListMetricsQueryDto) {
    if (!query.interval)
      return { rows: await this.metrics.raw(filter), source: 'raw' as const, bucketed: false };
    const seconds = intervalSeconds(query.interval);
    const aggregate = query.aggregate ?? 'avg';
    const resolution = this.config.metricsStore.rollupSeconds;
    if (seconds % resolution === 0) {
      const rows = await this.metrics.bucketedRollups(filter, seconds, resolution, aggregate);
      return { rows, source: 'rollup' as const, bucketed: true };
    }
    const rows = await this.metrics.bucketedRaw(filter, seconds, aggregate);
    return { rows, source: 'raw' as const, bucketed: true };
  }
}
