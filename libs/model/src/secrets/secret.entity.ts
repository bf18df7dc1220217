import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import { SecretsProvider } from './secrets-provider.entity';

/**
 * A secret. The API calls its `id` `key`. `value` holds the encrypted value: encryption is the
 * service's job, this column only stores the ciphertext.
 */
@Entity('secrets')
@Unique(['id', 'tenantId'])
export class Secret extends TenantResourceBase {
  @Index()
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  value: string | null;

  @Column({ name: 'is_hidden_value', type: 'boolean', default: false })
  isHiddenValue: boolean;

  /** JSON schema the value must satisfy (then the value is JSON). */
  @Column({ type: 'jsonb', nullable: true })
  schema: JsonObject | null;

  @Column({ name: 'provider_options', type: 'jsonb', nullable: true })
  providerOptions: JsonObject | null;

  @ManyToOne(() => SecretsProvider, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_secrets_provider_fk' })
  secretsProvider?: SecretsProvider | null;

  @Index()
  @Column({ name: '_secrets_provider_fk', type: 'integer', nullable: true })
  secretsProviderFk: number | null;
}
