import { Check, Column, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Visibility, VISIBILITIES } from '@nestify/common';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';
import { valueIn } from './sql-check';

/**
 * Columns every tenant-scoped row carries: who may see it, which tenant owns it, who created it.
 * Children (nodes, executions, events, labels…) copy these from their parent, so a tenant or
 * visibility filter never needs a join. Deleting a tenant deletes what it owns.
 */
@Check('visibility_check', valueIn('visibility', VISIBILITIES))
export abstract class TenantScopedBase {
  @Column({ type: 'varchar', length: 16, default: Visibility.Tenant })
  visibility: Visibility;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_tenant_id' })
  tenant?: Tenant;

  @Index()
  @Column({ name: '_tenant_id', type: 'integer' })
  tenantId: number;

  @ManyToOne(() => User, { nullable: false })
  @JoinColumn({ name: '_creator_id' })
  creator?: User;

  @Index()
  @Column({ name: '_creator_id', type: 'integer' })
  creatorId: number;
}

/** A tenant-scoped row keyed by an internal serial `_storage_id` (events and logs have no `id`). */
export abstract class StoredBase extends TenantScopedBase {
  @PrimaryGeneratedColumn({ name: '_storage_id', type: 'integer' })
  storageId: number;
}

/**
 * A tenant resource: internal `_storage_id` key plus the display `id` the API uses. Each entity
 * declares where `id` is unique — `@Unique(['id', 'tenantId'])`, or per parent for nodes — and
 * that constraint's index serves lookups by id; entities without one declare `@Index(['id'])`.
 */
export abstract class TenantResourceBase extends StoredBase {
  @Column({ type: 'text' })
  id: string;
}

/**
 * A label (`key: value`) attached to a blueprint, deployment or deployment group. Each label
 * table has a unique (key, value, _labeled_model_fk) constraint, whose index also serves lookups
 * by key or by (key, value); `value` alone gets its own index.
 */
export abstract class LabelBase extends TenantScopedBase {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text' })
  key: string;

  @Index()
  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
