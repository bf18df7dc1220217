import { Column, Entity, PrimaryColumn } from 'typeorm';
import { JsonObject } from '../common/json';

/** The single provider context row (`id` = 'CONTEXT'), read by the blueprint upload workflow. */
@Entity('provider_context')
export class ProviderContext {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'jsonb' })
  context: JsonObject;
}

export const PROVIDER_CONTEXT_ID = 'CONTEXT';
