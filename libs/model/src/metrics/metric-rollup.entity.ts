import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A downsampled bucket of one series: count, sum, min and max of its values in
 * `[bucket, bucket + resolution seconds)`. Kept up to date in the same statement that inserts the
 * raw values, so it outlives their retention and costs no separate job. BRIN on `bucket` (from
 * the migration) serves the retention purge.
 */
@Entity('metric_rollups')
@Index('IDX_metric_rollups_bucket_brin', { synchronize: false })
export class MetricRollup {
  @PrimaryColumn({ name: '_tenant_id', type: 'integer' })
  tenantId: number;

  @PrimaryColumn({ name: 'deployment_id', type: 'text' })
  deploymentId: string;

  @PrimaryColumn({ name: 'node_instance_id', type: 'text' })
  nodeInstanceId: string;

  @PrimaryColumn({ type: 'text' })
  metric: string;

  /** Bucket width in seconds (METRICS_ROLLUP_SECONDS when written). */
  @PrimaryColumn({ type: 'integer' })
  resolution: number;

  /** Start of the bucket, aligned to the Unix epoch. */
  @PrimaryColumn({ type: 'timestamptz' })
  bucket: Date;

  @Column({ name: 'node_name', type: 'text' })
  nodeName: string;

  @Column({ type: 'integer' })
  count: number;

  @Column({ type: 'double precision' })
  sum: number;

  @Column({ type: 'double precision' })
  min: number;

  @Column({ type: 'double precision' })
  max: number;
}
