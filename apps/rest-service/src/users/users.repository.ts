import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Role, RoleType, User } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';

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

/** What a new user row holds. */
export interface NewUser {
  username: string;
  passwordHash: string;
  roleId: number;
  createdAt?: Date;
  firstLoginAt?: Date;
  lastLoginAt?: Date;
}

/** Rows a user created, per table and tenant (they keep the user from being deleted). */
export interface OwnedResources {
  table: string;
  tenant: string;
  count: number;
}

const OWN_ROLE_SQL = `(SELECT r.name FROM users_roles ur JOIN roles r ON r.id = ur.role_id
  WHERE ur.user_id = "user"."id" ORDER BY r.id LIMIT 1)`;

const COLUMNS: ColumnMap = {
  username: { expression: 'user.username' },
  role: { expression: OWN_ROLE_SQL },
  active: { expression: 'user.active', kind: 'boolean' },
  created_at: { expression: 'user.createdAt' },
  first_login_at: { expression: 'user.firstLoginAt' },
  last_login_at: { expression: 'user.lastLoginAt' },
  show_getting_started: { expression: 'user.showGettingStarted', kind: 'boolean' },
};

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
    return (await this.groupsOfMany([userId])).get(userId) ?? [];
  }

  /** Every tenant the user is in, directly (`group` null) or through one of its groups. */
  async tenantsOf(userId: number): Promise<TenantMembership[]> {
    return (await this.tenantsOfMany([userId])).get(userId) ?? [];
  }

  /** The groups of several users at once, by user id. */
  async groupsOfMany(userIds: readonly number[]): Promise<Map<number, GroupMembership[]>> {
    const rows: (GroupMembership & { user_id: number })[] = userIds.length
      ? await this.users.query(
          `SELECT ug.user_id, g.name AS "group",
                  (SELECT r.name FROM groups_roles gr JOIN roles r ON r.id = gr.role_id
                    WHERE gr.group_id = g.id ORDER BY r.id LIMIT 1) AS role
             FROM users_groups ug JOIN groups g ON g.id = ug.group_id
            WHERE ug.user_id = ANY($1)
            ORDER BY g.name`,
          [userIds],
        )
      : [];
    return groupBy(rows, ({ user_id, ...membership }) => [user_id, membership]);
  }

  /** The tenant memberships of several users at once, by user id. */
  async tenantsOfMany(userIds: readonly number[]): Promise<Map<number, TenantMembership[]>> {
    const rows: (TenantMembership & { user_id: number })[] = userIds.length
      ? await this.users.query(
          `SELECT ut.user_id, t.name AS tenant, r.name AS role, NULL::text AS "group"
             FROM users_tenants ut
             JOIN tenants t ON t.id = ut.tenant_id
             JOIN roles r ON r.id = ut.role_id
            WHERE ut.user_id = ANY($1)
           UNION ALL
           SELECT ug.user_id, t.name, r.name, g.name
             FROM users_groups ug
             JOIN groups g ON g.id = ug.group_id
             JOIN groups_tenants gt ON gt.group_id = g.id
             JOIN tenants t ON t.id = gt.tenant_id
             JOIN roles r ON r.id = gt.role_id
            WHERE ug.user_id = ANY($1)
           ORDER BY 2, 4 NULLS FIRST`,
          [userIds],
        )
      : [];
    return groupBy(rows, ({ user_id, ...membership }) => [user_id, membership]);
  }

  async list(query: ListQuery): Promise<{ items: User[]; total: number }> {
    const qb = applyListQuery(this.users.createQueryBuilder('user'), query, COLUMNS, 'username');
    if (!query.sort.length) qb.orderBy('user.id', 'ASC');
    return fetchPage(qb, query);
  }

  findRole(name: string): Promise<Role | null> {
    return this.users.manager.getRepository(Role).findOneBy({ name });
  }

  /** Role names of one type, for error messages. */
  async roleNames(type: RoleType): Promise<string[]> {
    const roles = await this.users.manager.getRepository(Role).find({
      where: { type },
      order: { id: 'ASC' },
    });
    return roles.map((role) => role.name);
  }

  /** Inserts a user with its system role, in one transaction; returns its id. */
  async insert(user: NewUser): Promise<number> {
    return this.users.manager.transaction(async (em) => {
      const rows: { id: number }[] = await em.query(
        `INSERT INTO users (username, password, created_at, first_login_at, last_login_at)
         VALUES ($1, $2, COALESCE($3, now()), $4, $5) RETURNING id`,
        [
          user.username,
          user.passwordHash,
          user.createdAt ?? null,
          user.firstLoginAt ?? null,
          user.lastLoginAt ?? null,
        ],
      );
      await em.query(`INSERT INTO users_roles (user_id, role_id) VALUES ($1, $2)`, [
        rows[0].id,
        user.roleId,
      ]);
      return rows[0].id;
    });
  }

  async update(
    userId: number,
    changes: Partial<
      Pick<User, 'password' | 'active' | 'showGettingStarted' | 'failedLoginsCounter'>
    >,
  ): Promise<void> {
    await this.users.update({ id: userId }, changes);
  }

  /** Replaces the user's own system role(s) with `roleId`. */
  async setSystemRole(userId: number, roleId: number): Promise<void> {
    await this.users.manager.transaction(async (em: EntityManager) => {
      await em.query(
        `DELETE FROM users_roles ur USING roles r
          WHERE ur.role_id = r.id AND ur.user_id = $1 AND r.type = $2`,
        [userId, RoleType.SystemRole],
      );
      await em.query(`INSERT INTO users_roles (user_id, role_id) VALUES ($1, $2)`, [
        userId,
        roleId,
      ]);
    });
  }

  /**
   * What the user created, in every table that records a creator: a user who still owns
   * resources cannot be deleted (their rows would lose their creator).
   */
  async ownedResources(userId: number): Promise<OwnedResources[]> {
    const tables: { table_name: string }[] = await this.users.query(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.columns t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          AND t.column_name = '_tenant_id'
        WHERE c.table_schema = current_schema() AND c.column_name = '_creator_id'
        ORDER BY c.table_name`,
    );
    if (!tables.length) return [];
    const union = tables
      .map(
        ({ table_name }) =>
          `SELECT '${table_name}' AS "table", _tenant_id, count(*)::int AS count
             FROM "${table_name}" WHERE _creator_id = $1 GROUP BY _tenant_id`,
      )
      .join(' UNION ALL ');
    return this.users.query(
      `SELECT o."table", t.name AS tenant, o.count
         FROM (${union}) o JOIN tenants t ON t.id = o._tenant_id
        ORDER BY o."table", t.name`,
      [userId],
    );
  }

  async delete(userId: number): Promise<void> {
    await this.users.delete({ id: userId });
  }
}

function groupBy<R, T>(rows: readonly R[], split: (row: R) => [number, T]): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const [key, value] = split(row);
    const list = grouped.get(key) ?? [];
    list.push(value);
    grouped.set(key, list);
  }
  return grouped;
}
