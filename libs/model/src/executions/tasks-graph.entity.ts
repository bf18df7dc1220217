import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { TenantResourceBase } from '../common/resource.base';
import { Execution } from './execution.entity';

/** A persisted task graph of a workflow execution (so the workflow can resume). */
@Entity('tasks_graphs')
@Index(['id'])
@Unique(['executionFk', 'name', 'visibility'])
export class TasksGraph extends TenantResourceBase {
  @Index()
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @ManyToOne(() => Execution, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_execution_fk' })
  execution?: Execution;

  @Index()
  @Column({ name: '_execution_fk', type: 'integer' })
  executionFk: number;
}
