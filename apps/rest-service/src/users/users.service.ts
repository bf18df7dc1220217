import { Inject, Injectable } from '@nestjs/common';
import { hash } from 'bcryptjs';
import {
  BadParametersError,
  ConflictError,
  DependentExistsError,
  ForbiddenError,
  formatTimestamp,
  NotFoundError,
  validateResourceId,
} from '@nestify/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import {
  BOOTSTRAP_ADMIN_ID,
  DEFAULT_SYSTEM_ROLE,
  PASSWORD_HASH_ROUNDS,
  Role,
  RoleType,
  SYS_ADMIN_ROLE,
  User,
} from '@nestify/model';
import { AuthContext } from '../auth/auth-context';
import { isLocked, LockPolicy } from '../auth/lock-policy';
import { isAllowedFor } from '../auth/permissions';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { CreateUserDto, UpdateUserDto } from './dto/user-body.dto';
import { UserResponseDto, UserTenantEntry } from './dto/user-response.dto';
import { EffectiveRoles, effectiveRoles } from './user-roles';
import {
  describeOwned,
  parseUserTimestamp,
  validatePassword,
  validatePasswordHash,
} from './user-rules';
import { GroupMembership, TenantMembership, UsersRepository } from './users.repository';
import { ChangesIdentity, IdentityChanges } from '../common/identity/identity-changes';

/**
 * Users: the lookups, login bookkeeping and roles the auth guard relies on, `GET /user`, and the
 * management of users by sys_admin (`/users`).
 */

/** How fresh `last_login_at` (and a token's `last_used`) is kept. */
export const LOGIN_STAMP_INTERVAL_MS = 60_000;
@Injectable()
export class UsersService {
  readonly lockPolicy: LockPolicy;

  constructor(
    private readonly users: UsersRepository,
    readonly identityChanges: IdentityChanges,
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

  @ChangesIdentity()
  recordFailedLogin(user: User): Promise<void> {
    return this.users.recordFailedLogin(user.id);
  }

  /**
   * Resets the failed-login count and stamps the login. Clients send credentials on every request,
   * so the stamp is written at most once a minute (a write per request would cost more than the
   * rest of authentication); a pending failure count is always reset.
   */
  async recordSuccessfulLogin(user: User): Promise<void> {
    const stale =
      !user.lastLoginAt || Date.now() - user.lastLoginAt.getTime() >= LOGIN_STAMP_INTERVAL_MS;
    if (user.failedLoginsCounter > 0 || stale) await this.users.recordSuccessfulLogin(user.id);
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
    const [rendered] = await this.render([user], getData);
    return rendered;
  }

  async list(query: ListQuery): Promise<ListEnvelope<Partial<UserResponseDto>>> {
    const { items, total } = await this.users.list(query);
    return listEnvelope(await this.render(items, query.getData), total, query);
  }

  async get(username: string, getData: boolean): Promise<UserResponseDto> {
    const [rendered] = await this.render([await this.require(username)], getData);
    return rendered;
  }

  /** The user named `username`, or 404. */
  async require(username: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError('User', username);
    return user;
  }

  /** The role `name`, which must be of `type` (Cloudify's verify_role). */
  async requireRole(name: string, type: RoleType): Promise<Role> {
    const role = await this.users.findRole(name);
    if (!role) {
      const valid = (await this.users.roleNames(type)).map((n) => `'${n}'`).join(', ');
      throw new BadParametersError(
        `Invalid role: \`${name}\`. Valid ${type} roles are: [${valid}]`,
      );
    }
    if (role.type !== type) {
      throw new BadParametersError(
        `Role \`${name}\` is a ${role.type} and cannot be assigned as a ${type}`,
      );
    }
    return role;
  }

  /** PUT /users. */
  @ChangesIdentity()
  async create(body: CreateUserDto): Promise<UserResponseDto> {
    const timestamps = {
      createdAt: parseUserTimestamp(body.created_at, 'created_at'),
      firstLoginAt: parseUserTimestamp(body.first_login_at, 'first_login_at'),
      lastLoginAt: parseUserTimestamp(body.last_login_at, 'last_login_at'),
    };
    const password = validatePassword(body.password);
    const username = validateResourceId(body.username, 'username');
    const role = await this.requireRole(body.role ?? DEFAULT_SYSTEM_ROLE, RoleType.SystemRole);
    if (await this.users.findByUsername(username)) {
      throw new ConflictError(`<User username=\`${username}\`> already exists`);
    }
    const passwordHash = body.is_prehashed
      ? validatePasswordHash(password)
      : await hash(password, PASSWORD_HASH_ROUNDS);
    const id = await this.users.insert({ username, passwordHash, roleId: role.id, ...timestamps });
    return this.profile(id, false);
  }

  /**
   * POST /users/{name}: a new password (anyone for themselves, else `user_update`), a system role
   * or the getting-started flag (`user_update`).
   */
  @ChangesIdentity()
  async update(username: string, body: UpdateUserDto, auth: AuthContext): Promise<UserResponseDto> {
    const user = await this.require(username);
    if (body.password) {
      if (body.role) throw new BadParametersError('Both `password` and `role` provided');
      if (user.id !== auth.user.id) this.checkManage(auth, 'user_update');
      const passwordHash = await hash(validatePassword(body.password), PASSWORD_HASH_ROUNDS);
      await this.users.update(user.id, { password: passwordHash });
      return this.profile(user.id, false);
    }
    this.checkManage(auth, 'user_update');
    if (body.role) {
      const role = await this.requireRole(body.role, RoleType.SystemRole);
      if (user.id === BOOTSTRAP_ADMIN_ID && role.name !== SYS_ADMIN_ROLE) {
        throw new ForbiddenError('The bootstrap admin must keep the sys_admin role');
      }
      await this.users.setSystemRole(user.id, role.id);
      return this.profile(user.id, false);
    }
    if (body.show_getting_started !== undefined && body.show_getting_started !== null) {
      await this.users.update(user.id, { showGettingStarted: body.show_getting_started });
      return this.profile(user.id, false);
    }
    throw new BadParametersError(
      'No valid user settings provided. Available settings: password, role, show_getting_started',
    );
  }

  /** POST /users/active/{name}. The bootstrap admin cannot be deactivated. */
  @ChangesIdentity()
  async setActive(username: string, active: boolean): Promise<UserResponseDto> {
    const user = await this.require(username);
    if (!active && user.id === BOOTSTRAP_ADMIN_ID) {
      throw new ForbiddenError('The bootstrap admin cannot be deactivated');
    }
    await this.users.update(user.id, { active });
    return this.profile(user.id, false);
  }

  /** POST /users/unlock/{name}: forgets the failed logins that locked the user. */
  @ChangesIdentity()
  async unlock(username: string): Promise<UserResponseDto> {
    validateResourceId(username, 'username');
    const user = await this.require(username);
    await this.users.update(user.id, { failedLoginsCounter: 0 });
    return this.profile(user.id, false);
  }

  /** DELETE /users/{name}: never the bootstrap admin, nor a user who still owns resources. */
  @ChangesIdentity()
  async delete(username: string): Promise<void> {
    const user = await this.require(username);
    if (user.id === BOOTSTRAP_ADMIN_ID) {
      throw new ForbiddenError('The bootstrap admin cannot be deleted');
    }
    const owned = await this.users.ownedResources(user.id);
    if (owned.length) {
      throw new DependentExistsError(
        `User \`${user.username}\` cannot be deleted: the user has ${describeOwned(owned)}`,
      );
    }
    await this.users.delete(user.id);
  }

  private checkManage(auth: AuthContext, permission: string): void {
    if (!isAllowedFor(auth, permission)) {
      throw new ForbiddenError(
        `User \`${auth.user.username}\` is not permitted to perform the action ${permission}`,
      );
    }
  }

  /** Users in Cloudify's shape, their roles, groups and tenants read in three batched queries. */
  private async render(users: User[], getData: boolean): Promise<UserResponseDto[]> {
    const ids = users.map((user) => user.id);
    const [ownRoles, groupsByUser, tenantsByUser] = await Promise.all([
      this.users.ownSystemRoles(ids),
      this.users.groupsOfMany(ids),
      this.users.tenantsOfMany(ids),
    ]);
    return users.map((user) => {
      const groups = groupsByUser.get(user.id) ?? [];
      const tenants = tenantsByUser.get(user.id) ?? [];
      const tenantMap = tenantsResponse(tenants);
      return {
        username: user.username,
        role: ownRoles.get(user.id) ?? null,
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
    });
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
