import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { valueIn } from '../common/sql-check';
import { Deployment } from './deployment.entity';
import {
  DEPLOYMENT_MODIFICATION_STATUSES,
  DeploymentModificationStatus,
} from './modification-status';

/** A scale in/out of a deployment's node instances, started then finished or rolled back. */
@Entity('deployment_modifications')
@Index(['id'])
@Check('deployment_modifications_status_check', valueIn('status', DEPLOYMENT_MODIFICATION_STATUSES))
export class DeploymentModification extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Index()
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'varchar', length: 16, default: DeploymentModificationStatus.Started })
  status: DeploymentModificationStatus;

  @Column({ type: 'jsonb', nullable: true })
  context: JsonObject | null;

  @Column({ name: 'modified_nodes', type: 'jsonb', nullable: true })
  modifiedNodes: JsonObject | null;

  /** `{added_and_related, removed_and_related, before_modification…}`. */
  @Column({ name: 'node_instances', type: 'jsonb', nullable: true })
  nodeInstances: JsonObject | null;

  @ManyToOne(() => Deployment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_deployment_fk' })
  deployment?: Deployment;

  @Index()
  @Column({ name: '_deployment_fk', type: 'integer' })
  deploymentFk: number;
}
