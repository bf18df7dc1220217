import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';
import { Role } from './role.entity';
import { User } from './user.entity';

/** A user's membership of a tenant, with the tenant role it holds there. */
@Entity('users_tenants')
export class UserTenant {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @Index()
  @PrimaryColumn({ name: 'tenant_id', type: 'integer' })
  tenantId: number;

  @Index()
  @Column({ name: 'role_id', type: 'integer' })
  roleId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @ManyToOne(() => Role, { nullable: false })
  @JoinColumn({ name: 'role_id' })
  role?: Role;
}
