import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { Deployment } from './deployment.entity';

/**
 * "Deployment A uses deployment B" (a component, shared resource or get_capability). The
 * dependency goes with its source; losing the target leaves it dangling (target set to NULL).
 */
@Entity('inter_deployment_dependencies')
@Index(['id'])
export class InterDeploymentDependency extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'dependency_creator', type: 'text' })
  dependencyCreator: string;

  @Column({ name: 'target_deployment_func', type: 'jsonb', nullable: true })
  targetDeploymentFunc: JsonObject | null;

  @Column({ name: 'external_source', type: 'jsonb', nullable: true })
  externalSource: JsonObject | null;

  @Column({ name: 'external_target', type: 'jsonb', nullable: true })
  externalTarget: JsonObject | null;

  @ManyToOne(() => Deployment, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_source_deployment' })
  sourceDeployment?: Deployment | null;

  @Index()
  @Column({ name: '_source_deployment', type: 'integer', nullable: true })
  sourceDeploymentFk: number | null;

  @ManyToOne(() => Deployment, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_target_deployment' })
  targetDeployment?: Deployment | null;

  @Index()
  @Column({ name: '_target_deployment', type: 'integer', nullable: true })
  targetDeploymentFk: number | null;
}
