import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';
import { Group } from './group.entity';
import { Role } from './role.entity';

/** A group's membership of a tenant, with the tenant role its members get there. */
@Entity('groups_tenants')
export class GroupTenant {
  @PrimaryColumn({ name: 'group_id', type: 'integer' })
  groupId: number;

  @Index()
  @PrimaryColumn({ name: 'tenant_id', type: 'integer' })
  tenantId: number;

  @Index()
  @Column({ name: 'role_id', type: 'integer' })
  roleId: number;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Group;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @ManyToOne(() => Role, { nullable: false })
  @JoinColumn({ name: 'role_id' })
  role?: Role;
}
