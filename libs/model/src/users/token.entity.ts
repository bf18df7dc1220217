import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Execution } from '../executions/execution.entity';
import { User } from './user.entity';

/**
 * An API token `ctok-<id>-<secret>`: the row keeps the 10-character id and a hash of the secret.
 * Execution tokens of a workflow are tied to their execution and go away with it.
 */
@Entity('tokens')
export class Token {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  id: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'last_used', type: 'timestamptz', nullable: true })
  lastUsed: Date | null;

  @Index()
  @Column({ name: 'expiration_date', type: 'timestamptz', nullable: true })
  expirationDate: Date | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: '_user_fk' })
  user?: User;

  @Index()
  @Column({ name: '_user_fk', type: 'integer' })
  userFk: number;

  @ManyToOne(() => Execution, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: '_execution_fk' })
  execution?: Execution | null;

  @Index()
  @Column({ name: '_execution_fk', type: 'integer', nullable: true })
  executionFk: number | null;
}
