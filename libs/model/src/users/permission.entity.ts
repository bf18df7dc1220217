import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Role } from './role.entity';

/** One permission name (e.g. `deployment_create`) granted to a role. */
@Entity('permissions')
@Unique(['roleId', 'name'])
export class Permission {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @ManyToOne(() => Role, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'role_id' })
  role?: Role;

  @Index()
  @Column({ name: 'role_id', type: 'integer' })
  roleId: number;

  @Column({ type: 'text' })
  name: string;
}
