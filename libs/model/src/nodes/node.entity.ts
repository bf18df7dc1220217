import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { Deployment } from '../deployments/deployment.entity';

/** A node template of a deployment's plan. Its `id` is unique within the deployment. */
@Entity('nodes')
@Unique(['id', 'deploymentFk'])
export class Node extends TenantResourceBase {
  @Index()
  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'type_hierarchy', type: 'jsonb', nullable: true })
  typeHierarchy: string[] | null;

  @Column({ type: 'jsonb', nullable: true })
  properties: JsonObject | null;

  /** `{name: {operation, plugin, executor, inputs, max_retries, retry_interval, timeout…}}`. */
  @Column({ type: 'jsonb', nullable: true })
  operations: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  relationships: JsonObject[] | null;

  @Column({ type: 'jsonb', nullable: true })
  plugins: JsonObject[] | null;

  @Column({ name: 'plugins_to_install', type: 'jsonb', nullable: true })
  pluginsToInstall: JsonObject[] | null;

  /** Id of the node hosting this one (not a foreign key: the host may be created later). */
  @Column({ name: 'host_id', type: 'text', nullable: true })
  hostId: string | null;

  @Column({ name: 'number_of_instances', type: 'integer', default: 1 })
  numberOfInstances: number;

  @Column({ name: 'planned_number_of_instances', type: 'integer', default: 1 })
  plannedNumberOfInstances: number;

  @Column({ name: 'deploy_number_of_instances', type: 'integer', default: 1 })
  deployNumberOfInstances: number;

  @Column({ name: 'min_number_of_instances', type: 'integer', default: 0 })
  minNumberOfInstances: number;

  /** -1 means unbounded. */
  @Column({ name: 'max_number_of_instances', type: 'integer', default: -1 })
  maxNumberOfInstances: number;

  @Column({ name: 'drifted_instances', type: 'integer', default: 0 })
  driftedInstances: number;

  @Column({ name: 'unavailable_instances', type: 'integer', default: 0 })
  unavailableInstances: number;

  @ManyToOne(() => Deployment, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_deployment_fk' })
  deployment?: Deployment;

  @Index()
  @Column({ name: '_deployment_fk', type: 'integer' })
  deploymentFk: number;
}
