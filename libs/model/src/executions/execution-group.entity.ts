import {
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  Unique,
} from 'typeorm';
import { TenantResourceBase } from '../common/resource.base';
import { DeploymentGroup } from '../deployment-groups/deployment-group.entity';
import { Execution } from './execution.entity';

/** One workflow run over every deployment of a group, `concurrency` executions at a time. */
@Entity('execution_groups')
@Unique(['id', 'tenantId'])
export class ExecutionGroup extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId: string;

  @Column({ type: 'integer', default: 5 })
  concurrency: number;

  @ManyToOne(() => DeploymentGroup, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_deployment_group_fk' })
  deploymentGroup?: DeploymentGroup | null;

  @Index()
  @Column({ name: '_deployment_group_fk', type: 'integer', nullable: true })
  deploymentGroupFk: number | null;

  /** Deployments whose execution succeeded are added to this group. */
  @ManyToOne(() => DeploymentGroup, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_success_group_fk' })
  successGroup?: DeploymentGroup | null;

  @Index()
  @Column({ name: '_success_group_fk', type: 'integer', nullable: true })
  successGroupFk: number | null;

  /** Deployments whose execution failed are added to this group. */
  @ManyToOne(() => DeploymentGroup, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_failed_group_fk' })
  failedGroup?: DeploymentGroup | null;

  @Index()
  @Column({ name: '_failed_group_fk', type: 'integer', nullable: true })
  failedGroupFk: number | null;

  @ManyToMany(() => Execution, (execution) => execution.executionGroups, { onDelete: 'CASCADE' })
  @JoinTable({
    name: 'execution_groups_executions',
    joinColumn: { name: 'execution_group_id', referencedColumnName: 'storageId' },
    inverseJoinColumn: { name: 'execution_id', referencedColumnName: 'storageId' },
  })
  executions?: Execution[];
}
