import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricAggregate } from './dto/list-metrics-query.dto';

export interface MetricsFilter {
  tenantId: number;
  deploymentId: string;
  nodeInstanceId?: string;
  metric?: string;
  from: Date;
  to: Date;
  size: number;
  offset: number;
}

export interface MetricRow {
  deployment_id: string;
  node_instance_id: string;
  node_name: string;
  metric: string;
  time: Date;
  value: number;
  count?: number;
  min?: number;
  max?: number;
  total: number;
}

/** Aggregates over raw values, and the same over rollup buckets (count/sum/min/max). */
const RAW_AGGREGATE: Record<MetricAggregate, string> = {
  avg: 'avg(value)',
  min: 'min(value)',
  max: 'max(value)',
  sum: 'sum(value)',
  count: 'count(*)',
};
const ROLLUP_AGGREGATE: Record<MetricAggregate, string> = {
  avg: 'sum(sum) / sum(count)',
  min: 'min(min)',
  max: 'max(max)',
  sum: 'sum(sum)',
  count: 'sum(count)',
};

function where(filter: MetricsFilter, timeColumn: string): { sql: string; params: unknown[] } {
  const params: unknown[] = [filter.tenantId, filter.deploymentId, filter.from, filter.to];
  let sql = `_tenant_id = $1 AND deployment_id = $2 AND ${timeColumn} >= $3 AND ${timeColumn} < $4`;
  if (filter.nodeInstanceId !== undefined) {
    params.push(filter.nodeInstanceId);
    sql += ` AND node_instance_id = $${params.length}`;
  }
  if (filter.metric !== undefined) {
    params.push(filter.metric);
    sql += ` AND metric = $${params.length}`;
  }
  return { sql, params };
}

function page(filter: MetricsFilter, params: unknown[]): string {
  params.push(filter.size, filter.offset);
  return `LIMIT $${params.length - 1} OFFSET $${params.length}`;
}

/** Queries of the metrics store for GET /metrics, always within the caller's tenant. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  raw(filter: MetricsFilter): Promise<MetricRow[]> {
    const { sql, params } = where(filter, 'time');
    return this.dataSource.query(
      `SELECT deployment_id, node_instance_id, node_name, metric, time, value,
              count(*) OVER ()::int AS total
       FROM metrics WHERE ${sql}
       ORDER BY time, node_instance_id, metric ${page(filter, params)}`,
      params,
    );
  }

  /** Buckets of `intervalSeconds` computed from the raw values. */
  bucketedRaw(filter: MetricsFilter, intervalSeconds: number, aggregate: MetricAggregate) {
    const { sql, params } = where(filter, 'time');
    params.push(intervalSeconds);
    const width = `make_interval(secs => $${params.length}::int)`;
    return this.bucketed(
      `SELECT deployment_id, node_instance_id, min(node_name) AS node_name, metric,
              date_bin(${width}, time, timestamptz 'epoch') AS time,
              ${RAW_AGGREGATE[aggregate]}::float8 AS value, count(*)::int AS count,
              min(value) AS min, max(value) AS max
       FROM metrics WHERE ${sql}`,
      filter,
      params,
    );
  }

  /** Buckets of `intervalSeconds` merged from the stored rollups of `resolution` seconds. */
  bucketedRollups(
    filter: MetricsFilter,
    intervalSeconds: number,
    resolution: number,
    aggregate: MetricAggregate,
  ) {
    const { sql, params } = where(filter, 'bucket');
    params.push(resolution, intervalSeconds);
    const width = `make_interval(secs => $${params.length}::int)`;
    return this.bucketed(
      `SELECT deployment_id, node_instance_id, min(node_name) AS node_name, metric,
              date_bin(${width}, bucket, timestamptz 'epoch') AS time,
              ${ROLLUP_AGGREGATE[aggregate]}::float8 AS value, sum(count)::int AS count,
              min(min) AS min, max(max) AS max
       FROM metric_rollups WHERE ${sql} AND resolution = $${params.length - 1}`,
      filter,
      params,
    );
  }

  private bucketed(select: string, filter: MetricsFilter, params: unknown[]): Promise<MetricRow[]> {
    return this.dataSource.query(
      `SELECT *, count(*) OVER ()::int AS total FROM (
         ${select} GROUP BY deployment_id, node_instance_id, metric, 5
       ) buckets ORDER BY time, node_instance_id, metric ${page(filter, params)}`,
      params,
    );
  }
}
