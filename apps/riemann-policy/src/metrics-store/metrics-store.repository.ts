import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Metric } from '@nestify/policies';

export interface StoreResult {
  /** Values whose deployment exists (in the tenant they named). */
  owned: number;
  /** Of those, values not stored before (redeliveries are skipped). */
  inserted: number;
}

/**
 * Writes a batch in one statement: values are matched to their stored deployment (the tenant
 * comes from there; a value naming no tenant needs an unambiguous deployment id), inserted unless
 * already stored, and only the newly inserted ones are added to their rollup buckets — so
 * redelivered messages change nothing.
 */
const INSERT_BATCH = `
WITH incoming AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[],
                       $7::float8[], $8::text[], $9::int[])
    AS u(tenant_name, deployment_id, node_name, node_instance_id, metric, value, time, host, ttl)
), owned AS (
  SELECT d._tenant_id AS tenant_id, u.* FROM incoming u
  JOIN deployments d ON d.id = u.deployment_id
  JOIN tenants t ON t.id = d._tenant_id
  WHERE t.name = u.tenant_name OR (u.tenant_name IS NULL AND NOT EXISTS (
    SELECT 1 FROM deployments o WHERE o.id = d.id AND o._tenant_id <> d._tenant_id))
), inserted AS (
  INSERT INTO metrics (_tenant_id, deployment_id, node_name, node_instance_id, metric, value, time,
                       host, ttl)
  SELECT tenant_id, deployment_id, node_name, node_instance_id, metric, value, to_timestamp(time),
         host, ttl FROM owned
  ON CONFLICT DO NOTHING
  RETURNING _tenant_id, deployment_id, node_name, node_instance_id, metric, value, time
), rolled AS (
  INSERT INTO metric_rollups (_tenant_id, deployment_id, node_instance_id, metric, resolution, bucket,
                              node_name, count, sum, min, max)
  SELECT _tenant_id, deployment_id, node_instance_id, metric, $10::int,
         date_bin(make_interval(secs => $10::int), time, timestamptz 'epoch') AS bucket,
         min(node_name), count(*), sum(value), min(value), max(value)
  FROM inserted GROUP BY _tenant_id, deployment_id, node_instance_id, metric, bucket
  ON CONFLICT (_tenant_id, deployment_id, node_instance_id, metric, resolution, bucket) DO UPDATE SET
    count = metric_rollups.count + EXCLUDED.count, sum = metric_rollups.sum + EXCLUDED.sum,
    min = LEAST(metric_rollups.min, EXCLUDED.min), max = GREATEST(metric_rollups.max, EXCLUDED.max)
  RETURNING 1
)
SELECT (SELECT count(*) FROM owned)::int AS owned, (SELECT count(*) FROM inserted)::int AS inserted,
       (SELECT count(*) FROM rolled)::int AS rolled`;

/** Reading metrics back for the engine's rebuild: newest window, oldest first. */
const RECENT = `
SELECT t.name AS tenant_name, m.deployment_id, m.node_name, m.node_instance_id, m.metric,
       m.value, extract(epoch FROM m.time)::float8 AS time, m.ttl, m.host
FROM metrics m JOIN tenants t ON t.id = m._tenant_id
WHERE m.time >= $1 AND m.deployment_id = ANY($2::text[])
ORDER BY m.time, m._storage_id`;

interface RecentRow {
  tenant_name: string;
  deployment_id: string;
  node_name: string;
  node_instance_id: string;
  metric: string;
  value: number;
  time: number;
  ttl: number | null;
  host: string | null;
}

/** Every query of the metrics store (writes, the engine's rebuild read, retention). */
@Injectable()
export class MetricsStoreRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertBatch(metrics: Metric[], rollupSeconds: number): Promise<StoreResult> {
    const column = <T>(pick: (m: Metric) => T) => metrics.map(pick);
    const [row] = await this.dataSource.query(INSERT_BATCH, [
      column((m) => m.tenantName ?? null),
      column((m) => m.deploymentId),
      column((m) => m.nodeName),
      column((m) => m.nodeInstanceId),
      column((m) => m.service),
      column((m) => m.value),
      column((m) => m.time),
      column((m) => m.host ?? null),
      column((m) => Math.round(m.ttl)),
      rollupSeconds,
    ]);
    return { owned: row.owned, inserted: row.inserted };
  }

  /** Stored values of the given deployments since `since`, oldest first. */
  async recent(deploymentIds: string[], since: Date): Promise<Metric[]> {
    if (deploymentIds.length === 0) return [];
    const rows: RecentRow[] = await this.dataSource.query(RECENT, [since, deploymentIds]);
    return rows.map((row) => ({
      tenantName: row.tenant_name,
      deploymentId: row.deployment_id,
      nodeName: row.node_name,
      nodeInstanceId: row.node_instance_id,
      service: row.metric,
      value: row.value,
      time: row.time,
      ttl: row.ttl ?? 60,
      host: row.host ?? undefined,
    }));
  }

  /** Deletes up to `limit` rows older than `before` from `metrics` (by time) or `metric_rollups`. */
  async deleteChunk(
    table: 'metrics' | 'metric_rollups',
    before: Date,
    limit: number,
  ): Promise<number> {
    const sql =
      table === 'metrics'
        ? `DELETE FROM metrics WHERE _storage_id IN (
             SELECT _storage_id FROM metrics WHERE time < $1 LIMIT $2)`
        : `DELETE FROM metric_rollups WHERE ctid IN (
             SELECT ctid FROM metric_rollups WHERE bucket < $1 LIMIT $2)`;
    const [, count] = await this.dataSource.query(sql, [before, limit]);
    return Number(count);
  }
}
