import { Column, Entity, JoinTable, ManyToMany, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './role.entity';
import { User } from './user.entity';

/** A user group (LDAP-backed or local) whose members share its system role and tenant roles. */
@Entity('groups')
export class Group {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ name: 'ldap_dn', type: 'text', nullable: true, unique: true })
  ldapDn: string | null;

  /** The group's system role (one in practice). */
  @ManyToMany(() => Role)
  @JoinTable({
    name: 'groups_roles',
    joinColumn: { name: 'group_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'role_id', referencedColumnName: 'id' },
  })
  roles?: Role[];

  @ManyToMany(() => User)
  @JoinTable({
    name: 'users_groups',
    joinColumn: { name: 'group_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'user_id', referencedColumnName: 'id' },
  })
  users?: User[];
}
