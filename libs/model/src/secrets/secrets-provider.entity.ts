import { Column, Entity, Index, Unique } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';

/** An external secret store (Vault, another manager…) secrets may be read from. */
@Entity('secrets_providers')
@Unique(['id', 'tenantId'])
export class SecretsProvider extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'connection_parameters', type: 'jsonb', nullable: true })
  connectionParameters: JsonObject | null;
}
