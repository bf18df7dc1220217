import {
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  Unique,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { Blueprint } from '../blueprints/blueprint.entity';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { Deployment } from '../deployments/deployment.entity';
import type { DeploymentGroupLabel } from './deployment-group-label.entity';

/** A named set of deployments, to create many at once or run a workflow over all of them. */
@Entity('deployment_groups')
@Unique(['id', 'tenantId'])
export class DeploymentGroup extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'default_inputs', type: 'jsonb', nullable: true })
  defaultInputs: JsonObject | null;

  /** How many deployments the group has created (feeds `{count}` in id templates). */
  @Column({ name: 'creation_counter', type: 'integer', default: 0 })
  creationCounter: number;

  @ManyToOne(() => Blueprint, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_default_blueprint_fk' })
  defaultBlueprint?: Blueprint | null;

  @Index()
  @Column({ name: '_default_blueprint_fk', type: 'integer', nullable: true })
  defaultBlueprintFk: number | null;

  @ManyToMany(() => Deployment, (deployment) => deployment.deploymentGroups, {
    onDelete: 'CASCADE',
  })
  @JoinTable({
    name: 'deployment_groups_deployments',
    joinColumn: { name: 'deployment_group_id', referencedColumnName: 'storageId' },
    inverseJoinColumn: { name: 'deployment_id', referencedColumnName: 'storageId' },
  })
  deployments?: Deployment[];

  @OneToMany('DeploymentGroupLabel', 'deploymentGroup')
  labels?: Relation<DeploymentGroupLabel>[];
}
