import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Execution } from './execution.entity';

/**
 * Which mgmtworker runs an execution, until when. The owner renews `expires_at` by heartbeat; a
 * worker takes over an execution only when no lease exists or it has expired, in one
 * compare-and-set statement, so no execution is ever run by two workers at once.
 */
@Entity('execution_leases')
export class ExecutionLease {
  @PrimaryColumn({ name: '_execution_fk', type: 'integer' })
  executionFk: number;

  @OneToOne(() => Execution, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_execution_fk' })
  execution?: Execution;

  /** The worker process holding the lease (`<host>:<pid>:<random>`). */
  @Column({ type: 'text' })
  owner: string;

  @Column({ name: 'acquired_at', type: 'timestamptz', default: () => 'now()' })
  acquiredAt: Date;

  /** Past this instant another worker may take the execution over. */
  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
