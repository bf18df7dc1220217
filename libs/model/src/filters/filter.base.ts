import { Column, Index } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';

/** A saved list of filter rules (`[{key, values, operator, type}]`), applied with `_filter_id`. */
export abstract class FilterBase extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  value: JsonObject[] | null;

  /** Built-in filters (csys-…) that users cannot change. */
  @Index()
  @Column({ name: 'is_system_filter', type: 'boolean', default: false })
  isSystemFilter: boolean;
}
