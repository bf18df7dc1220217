import { Column, Entity, Index, JoinColumn, ManyToOne, Unique, VersionColumn } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { Node } from './node.entity';
import { NodeInstanceState } from './node-instance-state';

/**
 * A runtime instance of a node (`<node_id>_<6 chars>`), unique within its tenant.
 *
 * `version` is the optimistic lock of PATCH /node-instances: starts at 1 and grows by one on every
 * change (TypeORM adds `version = version + 1` to each UPDATE). Update rows with
 * `updateNodeInstanceIfVersion` (a version-checked UPDATE), never with `save()`: it checks
 * nothing, and saving a stale entity even writes its old version back.
 */
@Entity('node_instances')
@Unique(['id', 'tenantId'])
export class NodeInstance extends TenantResourceBase {
  /** A NodeInstanceState or any string a custom workflow set. */
  @Index()
  @Column({ type: 'text' })
  state: NodeInstanceState | string;

  @VersionColumn({ type: 'integer' })
  version: number;

  @Column({ name: 'runtime_properties', type: 'jsonb', nullable: true })
  runtimeProperties: JsonObject | null;

  @Column({ name: 'system_properties', type: 'jsonb', nullable: true })
  systemProperties: JsonObject | null;

  /** `[{target_id, target_name, type}]`. */
  @Column({ type: 'jsonb', nullable: true })
  relationships: JsonObject[] | null;

  /** `[{name, id}]`. */
  @Column({ name: 'scaling_groups', type: 'jsonb', nullable: true })
  scalingGroups: JsonObject[] | null;

  @Index()
  @Column({ name: 'host_id', type: 'text', nullable: true })
  hostId: string | null;

  /** 1-based position among the instances of its node. */
  @Column({ type: 'integer', nullable: true })
  index: number | null;

  @Column({ name: 'has_configuration_drift', type: 'boolean', default: false })
  hasConfigurationDrift: boolean;

  @Column({ name: 'is_status_check_ok', type: 'boolean', default: false })
  isStatusCheckOk: boolean;

  @ManyToOne(() => Node, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_node_fk' })
  node?: Node;

  @Index()
  @Column({ name: '_node_fk', type: 'integer' })
  nodeFk: number;
}
