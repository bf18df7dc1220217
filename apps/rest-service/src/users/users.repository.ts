import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from '@nestify/model';

/** A role a user holds, and where it comes from. */
export interface HeldRole {
  /** `system`: the user's own system role; `group_system`: a group's; `tenant` / `group_tenant`: in the asked tenant. */
  source: 'system' | 'group_system' | 'tenant' | 'group_tenant';
  role: string;
  roleId: number;
}

/** A tenant membership, direct or through a group (then with the group's name). */
export interface TenantMembership {
  tenant: string;
  role: string;
  group: string | null;
}

export interface GroupMembership {
  group: string;
  /** The group's system role, if it has one. */
  role: string | null;
}

/** Every query on users and their roles. */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Usernames are unique case-insensitively (the schema has a unique index on lower(username)). */
  findByUsername(username: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('user')
      .where('lower(user.username) = lower(:username)', { username })
      .getOne();
  }

  findById(id: number): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  async recordFailedLogin(id: number): Promise<void> {
    await this.users
      .createQueryBuilder()
      .update()
      .set({
        failedLoginsCounter: () => 'failed_logins_counter + 1',
        lastFailedLoginAt: () => 'now()',
      })
      .where('id = :id', { id })
      .execute();
  }

  async recordSuccessfulLogin(id: number): Promise<void> {
    await this.users
      .createQueryBuilder()
      .update()
      .set({
        failedLoginsCounter: 0,
        lastLoginAt: () => 'now()',
        firstLoginAt: () => 'COALESCE(first_login_at, now())',
      })
      .where('id = :id', { id })
      .execute();
  }

  /**
   * The user's system roles (own and through groups) and, when a tenant is given, its roles there
   * (direct and through groups), ordered by role id: the built-in roles are numbered from the
   * most to the least powerful.
   */
  async rolesOf(userId: number, tenantId: number | null): Promise<HeldRole[]> {
    const rows: { source: HeldRole['source']; role: string; role_id: number }[] =
      await this.users.query(
        `SELECT 'system' AS source, r.name AS role, r.id AS role_id
           FROM users_roles ur JOIN roles r ON r.id = ur.role_id
          WHERE ur.user_id = $1
         UNION ALL
         SELECT 'group_system', r.name, r.id
           FROM users_groups ug
           JOIN groups_roles gr ON gr.group_id = ug.group_id
           JOIN roles r ON r.id = gr.role_id
          WHERE ug.user_id = $1
         UNION ALL
         SELECT 'tenant', r.name, r.id
           FROM users_tenants ut JOIN roles r ON r.id = ut.role_id
          WHERE ut.user_id = $1 AND ut.tenant_id = $2
         UNION ALL
         SELECT 'group_tenant', r.name, r.id
           FROM users_groups ug
           JOIN groups_tenants gt ON gt.group_id = ug.group_id
           JOIN roles r ON r.id = gt.role_id
          WHERE ug.user_id = $1 AND gt.tenant_id = $2
         ORDER BY 3`,
        [userId, tenantId],
      );
    return rows.map((row) => ({ source: row.source, role: row.role, roleId: row.role_id }));
  }

  /** Each user's own first system role (Cloudify's `user.role`), for several users at once. */
  async ownSystemRoles(userIds: readonly number[]): Promise<Map<number, string>> {
    if (userIds.length === 0) return new Map();
    const rows: { user_id: number; role: string }[] = await this.users.query(
      `SELECT DISTINCT ON (ur.user_id) ur.user_id, r.name AS role
         FROM users_roles ur JOIN roles r ON r.id = ur.role_id
        WHERE ur.user_id = ANY($1)
        ORDER BY ur.user_id, r.id`,
      [userIds],
    );
    return new Map(rows.map((row) => [row.user_id, row.role]));
  }

  /** The groups a user belongs to, by name. */
  async groupsOf(userId: number): Promise<GroupMembership[]> {
    const rows: { group: string; role: string | null }[] = await this.users.query(
      `SELECT g.name AS "group",
              (SELECT r.name FROM groups_roles gr JOIN roles r ON r.id = gr.role_id
                WHERE gr.group_id = g.id ORDER BY r.id LIMIT 1) AS role
         FROM users_groups ug JOIN groups g ON g.id = ug.group_id
        WHERE ug.user_id = $1
        ORDER BY g.name`,
      [userId],
    );
    return rows;
  }

  /** Every tenant the user is in, directly (`group` null) or through one of its groups. */
  async tenantsOf(userId: number): Promise<TenantMembership[]> {
    return this.users.query(
      `SELECT t.name AS tenant, r.name AS role, NULL::text AS "group"
         FROM users_tenants ut
         JOIN tenants t ON t.id = ut.tenant_id
         JOIN roles r ON r.id = ut.role_id
        WHERE ut.user_id = $1
       UNION ALL
       SELECT t.name, r.name, g.name
         FROM users_groups ug
         JOIN groups g ON g.id = ug.group_id
         JOIN groups_tenants gt ON gt.group_id = g.id
         JOIN tenants t ON t.id = gt.tenant_id
         JOIN roles r ON r.id = gt.role_id
        WHERE ug.user_id = $1
       ORDER BY 1, 3 NULLS FIRST`,
      [userId],
    );
  }
}
