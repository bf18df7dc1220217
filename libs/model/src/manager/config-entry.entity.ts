import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity';

/** One manager setting (GET/PUT /config), keyed by name within a scope (rest, mgmtworker…). */
@Entity('config')
export class ConfigEntry {
  @PrimaryColumn({ type: 'text' })
  name: string;

  @PrimaryColumn({ type: 'text' })
  scope: string;

  @Column({ type: 'jsonb' })
  value: unknown;

  /** JSON schema a new value must satisfy. */
  @Column({ type: 'jsonb', nullable: true })
  schema: unknown;

  @Column({ name: 'is_editable', type: 'boolean', default: true })
  isEditable: boolean;

  @Column({ name: 'admin_only', type: 'boolean', default: false })
  adminOnly: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: '_updater_id' })
  updater?: User | null;

  @Column({ name: '_updater_id', type: 'integer', nullable: true })
  updaterId: number | null;
}
