import { Check, Column, Entity, Index, JoinColumn, ManyToMany, ManyToOne, Unique } from 'typeorm';
import type { Relation } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { valueIn } from '../common/sql-check';
import { Deployment } from '../deployments/deployment.entity';
// Type-only: execution groups own the many-to-many, and import this file.
import type { ExecutionGroup } from './execution-group.entity';
import { EXECUTION_STATUSES, ExecutionStatus } from './execution-status';

/** A run of a workflow (`id` is a UUID4). System workflows such as snapshots have no deployment. */
@Entity('executions')
@Unique(['id', 'tenantId'])
@Check('executions_status_check', valueIn('status', EXECUTION_STATUSES))
@Index(['deploymentFk', 'status'])
export class Execution extends TenantResourceBase {
  @Index()
  @Column({ name: 'workflow_id', type: 'text' })
  workflowId: string;

  @Index()
  @Column({ type: 'varchar', length: 32, default: ExecutionStatus.Pending })
  status: ExecutionStatus;

  @Column({ type: 'jsonb', nullable: true })
  parameters: JsonObject | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Index()
  @Column({ name: 'is_system_workflow', type: 'boolean', default: false })
  isSystemWorkflow: boolean;

  @Column({ name: 'is_dry_run', type: 'boolean', default: false })
  isDryRun: boolean;

  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Index()
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true })
  scheduledFor: Date | null;

  /** sha256 of the execution token; the token itself is never stored. */
  @Index()
  @Column({ type: 'varchar', length: 100, nullable: true })
  token: string | null;

  @Column({ type: 'boolean', default: false })
  resume: boolean;

  @Column({ name: 'total_operations', type: 'integer', nullable: true })
  totalOperations: number | null;

  @Column({ name: 'finished_operations', type: 'integer', nullable: true })
  finishedOperations: number | null;

  @Column({ name: 'allow_custom_parameters', type: 'boolean', default: false })
  allowCustomParameters: boolean;

  /** Copied from the deployment at creation: stays readable after the blueprint is gone. */
  @Index()
  @Column({ name: 'blueprint_id', type: 'text', nullable: true })
  blueprintId: string | null;

  @ManyToOne(() => Deployment, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_deployment_fk' })
  deployment?: Deployment | null;

  // Indexed by the (_deployment_fk, status) index above.
  @Column({ name: '_deployment_fk', type: 'integer', nullable: true })
  deploymentFk: number | null;

  @ManyToMany('ExecutionGroup', 'executions', { onDelete: 'CASCADE' })
  executionGroups?: Relation<ExecutionGroup>[];
}
