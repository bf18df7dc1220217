import { Check, Column, Entity, Index, Unique } from 'typeorm';
import { TenantResourceBase } from '../common/resource.base';
import { valueIn } from '../common/sql-check';
import { SNAPSHOT_STATUSES, SnapshotStatus } from './snapshot-status';

@Entity('snapshots')
@Unique(['id', 'tenantId'])
@Check('snapshots_status_check', valueIn('status', SNAPSHOT_STATUSES))
export class Snapshot extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'varchar', length: 16, nullable: true })
  status: SnapshotStatus | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
