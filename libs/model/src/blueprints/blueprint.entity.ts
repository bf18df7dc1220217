import { Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, Unique } from 'typeorm';
import type { Relation } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
// Type-only: executions point back at deployments and blueprints, so the relation is named by string.
import type { Execution } from '../executions/execution.entity';
import type { BlueprintLabel } from './blueprint-label.entity';
import type { BlueprintState } from './blueprint-state';

@Entity('blueprints')
@Unique(['id', 'tenantId'])
export class Blueprint extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ name: 'main_file_name', type: 'text', nullable: true })
  mainFileName: string | null;

  /** The parsed DSL plan; null until the upload succeeds. */
  @Column({ type: 'jsonb', nullable: true })
  plan: JsonObject | null;

  /** `{ secrets: [..], parent_capabilities: [..] }` the blueprint needs at deploy time. */
  @Column({ type: 'jsonb', nullable: true })
  requirements: JsonObject | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_hidden', type: 'boolean', default: false })
  isHidden: boolean;

  /** A BlueprintState; plain text because old rows may carry values we no longer emit. */
  @Index()
  @Column({ type: 'text', nullable: true })
  state: BlueprintState | string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'error_traceback', type: 'text', nullable: true })
  errorTraceback: string | null;

  @ManyToOne('Execution', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_upload_execution_fk' })
  uploadExecution?: Relation<Execution> | null;

  @Index()
  @Column({ name: '_upload_execution_fk', type: 'integer', nullable: true })
  uploadExecutionFk: number | null;

  @OneToMany('BlueprintLabel', 'blueprint')
  labels?: Relation<BlueprintLabel>[];
}
