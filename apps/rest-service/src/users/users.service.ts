import { Inject, Injectable } from '@nestjs/common';
import { formatTimestamp, NotFoundError } from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { User } from '@nestify/model';
import { isLocked, LockPolicy } from '../auth/lock-policy';
import { UserResponseDto, UserTenantEntry } from './dto/user-response.dto';
import { EffectiveRoles, effectiveRoles } from './user-roles';
import { GroupMembership, TenantMembership, UsersRepository } from './users.repository';

/** Users as the auth guard and `GET /user` need them: lookups, login bookkeeping, roles, profile. */
@Injectable()
export class UsersService {
  readonly lockPolicy: LockPolicy;

  constructor(
    private readonly users: UsersRepository,
    @Inject(NESTIFY_CONFIG) config: NestifyConfig,
  ) {
    this.lockPolicy = {
      failedLoginsBeforeLock: config.auth.failedLoginsBeforeLock,
      lockPeriodMs: config.auth.accountLockPeriodMs,
    };
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findByUsername(username);
  }

  findById(id: number): Promise<User | null> {
    return this.users.findById(id);
  }

  isLocked(user: User, now = new Date()): boolean {
    return isLocked(user, this.lockPolicy, now);
  }

  recordFailedLogin(user: User): Promise<void> {
    return this.users.recordFailedLogin(user.id);
  }

  recordSuccessfulLogin(user: User): Promise<void> {
    return this.users.recordSuccessfulLogin(user.id);
  }

  /** The user's roles for a request in `tenantId` (system roles only without a tenant). */
  async rolesOf(userId: number, tenantId: number | null): Promise<EffectiveRoles> {
    return effectiveRoles(await this.users.rolesOf(userId, tenantId));
  }

  /** Cloudify's `user.role` (own first system role) of each user; absent when it has none. */
  ownSystemRoles(userIds: readonly number[]): Promise<Map<number, string>> {
    return this.users.ownSystemRoles([...new Set(userIds)]);
  }

  /** `GET /user`: the caller in Cloudify's User shape. */
  async profile(userId: number, getData: boolean): Promise<UserResponseDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User', userId);
    const [roles, groups, tenants] = await Promise.all([
      this.users.rolesOf(userId, null),
      this.users.groupsOf(userId),
      this.users.tenantsOf(userId),
    ]);
    const tenantMap = tenantsResponse(tenants);
    return {
      username: user.username,
      role: effectiveRoles(roles).ownSystemRole,
      group_system_roles: groupSystemRoles(groups),
      tenants: getData ? tenantMap : Object.keys(tenantMap).length,
      tenant_roles: getData ? tenantRolesResponse(tenants) : null,
      groups: getData ? groups.map((g) => g.group) : groups.length,
      active: user.active,
      created_at: formatTimestamp(user.createdAt),
      first_login_at: formatTimestamp(user.firstLoginAt),
      last_login_at: formatTimestamp(user.lastLoginAt),
      is_locked: this.isLocked(user),
      show_getting_started: user.showGettingStarted,
    };
  }
}

function groupSystemRoles(groups: GroupMembership[]): Record<string, string[]> {
  const byRole: Record<string, string[]> = {};
  for (const { group, role } of groups) if (role) (byRole[role] ??= []).push(group);
  return byRole;
}

function tenantsResponse(memberships: TenantMembership[]): Record<string, UserTenantEntry> {
  const tenants: Record<string, UserTenantEntry> = {};
  for (const { tenant, role, group } of memberships) {
    const entry = (tenants[tenant] ??= { 'tenant-role': null, roles: [] });
    if (group === null) entry['tenant-role'] = role;
    if (!entry.roles.includes(role)) entry.roles.push(role);
  }
  for (const entry of Object.values(tenants)) entry.roles.sort();
  return tenants;
}

function tenantRolesResponse(memberships: TenantMembership[]): UserResponseDto['tenant_roles'] {
  const direct: Record<string, string> = {};
  const groups: Record<string, Record<string, string[]>> = {};
  for (const { tenant, role, group } of memberships) {
    if (group === null) direct[tenant] = role;
    else ((groups[tenant] ??= {})[role] ??= []).push(group);
  }
  for (const roles of Object.values(groups)) for (const names of Object.values(roles)) names.sort();
  return { direct, groups };
}
