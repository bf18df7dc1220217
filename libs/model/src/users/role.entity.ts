import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { valueIn } from '../common/sql-check';
import { ROLE_TYPES, RoleType } from './roles';

/** A named set of permissions: system roles (sys_admin, default) or tenant roles. */
@Entity('roles')
@Check('roles_type_check', valueIn('type', ROLE_TYPES))
export class Role {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'varchar', length: 32, default: RoleType.TenantRole })
  type: RoleType;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
