import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToMany,
  ManyToOne,
  OneToMany,
  Unique,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { Blueprint } from '../blueprints/blueprint.entity';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { valueIn } from '../common/sql-check';
import type { DeploymentGroup } from '../deployment-groups/deployment-group.entity';
// Type-only: executions point at their deployment, so these back-references are named by string.
import type { Execution } from '../executions/execution.entity';
import { Site } from '../sites/site.entity';
import type { DeploymentLabel } from './deployment-label.entity';
import {
  DEPLOYMENT_STATUSES,
  DeploymentStatus,
  INSTALLATION_STATUSES,
  InstallationStatus,
} from './deployment-status';

/**
 * A deployment of a blueprint. Deleting it deletes (by foreign-key cascade) its nodes and their
 * instances, its executions with their task graphs, operations, events and logs, its labels and
 * its modifications.
 */
@Entity('deployments')
@Unique(['id', 'tenantId'])
@Check(
  'deployments_installation_status_check',
  valueIn('installation_status', INSTALLATION_STATUSES),
)
@Check('deployments_deployment_status_check', valueIn('deployment_status', DEPLOYMENT_STATUSES))
@Check('deployments_sub_services_status_check', valueIn('sub_services_status', DEPLOYMENT_STATUSES))
@Check(
  'deployments_sub_environments_status_check',
  valueIn('sub_environments_status', DEPLOYMENT_STATUSES),
)
export class Deployment extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'jsonb', nullable: true })
  inputs: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  outputs: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  capabilities: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  groups: JsonObject | null;

  @Column({ name: 'scaling_groups', type: 'jsonb', nullable: true })
  scalingGroups: JsonObject | null;

  @Column({ name: 'policy_types', type: 'jsonb', nullable: true })
  policyTypes: JsonObject | null;

  @Column({ name: 'policy_triggers', type: 'jsonb', nullable: true })
  policyTriggers: JsonObject | null;

  /** Workflows by name, as in the plan (`{install: {operation, plugin, parameters…}}`). */
  @Column({ type: 'jsonb', nullable: true })
  workflows: JsonObject | null;

  @Column({ type: 'text', nullable: true })
  permalink: string | null;

  @Column({ name: 'runtime_only_evaluation', type: 'boolean', default: false })
  runtimeOnlyEvaluation: boolean;

  @Column({ name: 'installation_status', type: 'varchar', length: 16, nullable: true })
  installationStatus: InstallationStatus | null;

  @Column({ name: 'deployment_status', type: 'varchar', length: 32, nullable: true })
  deploymentStatus: DeploymentStatus | null;

  @Column({ name: 'sub_services_status', type: 'varchar', length: 32, nullable: true })
  subServicesStatus: DeploymentStatus | null;

  @Column({ name: 'sub_environments_status', type: 'varchar', length: 32, nullable: true })
  subEnvironmentsStatus: DeploymentStatus | null;

  @Column({ name: 'sub_services_count', type: 'integer', default: 0 })
  subServicesCount: number;

  @Column({ name: 'sub_environments_count', type: 'integer', default: 0 })
  subEnvironmentsCount: number;

  @Column({ name: 'resource_tags', type: 'jsonb', nullable: true })
  resourceTags: JsonObject | null;

  @Column({ name: 'drifted_instances', type: 'integer', default: 0 })
  driftedInstances: number;

  @Column({ name: 'unavailable_instances', type: 'integer', default: 0 })
  unavailableInstances: number;

  @ManyToOne(() => Blueprint, { nullable: false })
  @JoinColumn({ name: '_blueprint_fk' })
  blueprint?: Blueprint;

  @Index()
  @Column({ name: '_blueprint_fk', type: 'integer' })
  blueprintFk: number;

  @ManyToOne(() => Site, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_site_fk' })
  site?: Site | null;

  @Index()
  @Column({ name: '_site_fk', type: 'integer', nullable: true })
  siteFk: number | null;

  /** The create_deployment_environment execution. */
  @ManyToOne('Execution', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_create_execution_fk' })
  createExecution?: Relation<Execution> | null;

  @Index()
  @Column({ name: '_create_execution_fk', type: 'integer', nullable: true })
  createExecutionFk: number | null;

  @ManyToOne('Execution', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_latest_execution_fk' })
  latestExecution?: Relation<Execution> | null;

  /** Unique: an execution is the latest of at most one deployment. */
  @Index({ unique: true })
  @Column({ name: '_latest_execution_fk', type: 'integer', nullable: true })
  latestExecutionFk: number | null;

  @OneToMany('DeploymentLabel', 'deployment')
  labels?: Relation<DeploymentLabel>[];

  @ManyToMany('DeploymentGroup', 'deployments', { onDelete: 'CASCADE' })
  deploymentGroups?: Relation<DeploymentGroup>[];
}
