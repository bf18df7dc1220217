import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One metric value from an agent (the InfluxDB role of Cloudify 4). Rows arrive in time order,
 * so a BRIN index on `time` (created by the migration, invisible to TypeORM) serves range scans
 * and the retention purge at a fraction of a B-tree's size. The unique series-and-time index
 * makes writes idempotent under redelivery and answers per-series queries. No foreign keys: a
 * metric outlives its deployment until retention, and inserts stay cheap.
 */
@Entity('metrics')
@Index('IDX_metrics_time_brin', { synchronize: false })
@Index(['tenantId', 'deploymentId', 'nodeInstanceId', 'metric', 'time'], { unique: true })
export class MetricPoint {
  @PrimaryGeneratedColumn({ name: '_storage_id', type: 'bigint' })
  storageId: string;

  /** The tenant of the deployment, as stored (never taken from the message alone). */
  @Column({ name: '_tenant_id', type: 'integer' })
  tenantId: number;

  @Column({ name: 'deployment_id', type: 'text' })
  deploymentId: string;

  /** The node (template) name. */
  @Column({ name: 'node_name', type: 'text' })
  nodeName: string;

  @Column({ name: 'node_instance_id', type: 'text' })
  nodeInstanceId: string;

  /** The service name, e.g. `cpu.total.user`. */
  @Column({ type: 'text' })
  metric: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'timestamptz' })
  time: Date;

  @Column({ type: 'text', nullable: true })
  host: string | null;

  /** Seconds the value stays current (host_failure fires when it passes without a new one). */
  @Column({ type: 'integer', nullable: true })
  ttl: number | null;
}
