import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { valueIn } from '../common/sql-check';
import { User } from '../users/user.entity';
import { MAINTENANCE_MODE_STATUSES, MaintenanceModeStatus } from './maintenance-status';

/** History of maintenance-mode requests; the newest row is the current state. */
@Entity('maintenance_mode')
@Check('maintenance_mode_status_check', valueIn('status', MAINTENANCE_MODE_STATUSES))
export class MaintenanceMode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 16 })
  status: MaintenanceModeStatus;

  @Index()
  @Column({ name: 'activation_requested_at', type: 'timestamptz', default: () => 'now()' })
  activationRequestedAt: Date;

  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_requested_by' })
  requestedBy?: User | null;

  @Column({ name: '_requested_by', type: 'integer', nullable: true })
  requestedById: number | null;
}
