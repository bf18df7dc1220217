import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Group, Tenant } from '@nestify/model';
import { ListQuery } from '../common/list/list-query';
import { applyListQuery, ColumnMap, fetchPage } from '../common/list/list-query-builder';

const COLUMNS: ColumnMap = {
  name: { expression: 'tenant.name' },
  rabbitmq_username: { expression: 'tenant.rabbitmqUsername' },
  rabbitmq_vhost: { expression: 'tenant.rabbitmqVhost' },
};

/** Who is in a tenant: direct users, and groups with their members. */
export interface TenantMembers {
  /** username → direct tenant role. */
  direct: Map<string, string>;
  /** group name → its tenant role and member usernames. */
  groups: Map<string, { role: string; users: string[] }>;
}

/** users_tenants or groups_tenants, and the column naming the member. */
export type MemberKind = 'user' | 'group';
const MEMBER_TABLE: Record<MemberKind, { table: string; column: string }> = {
  user: { table: 'users_tenants', column: 'user_id' },
  group: { table: 'groups_tenants', column: 'group_id' },
};

/** Every query on tenants and their memberships. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  findByName(name: string): Promise<Tenant | null> {
    return this.tenants.findOneBy({ name });
  }

  findGroup(name: string): Promise<Group | null> {
    return this.tenants.manager.getRepository(Group).findOneBy({ name });
  }

  /** Tenants, all of them or (memberId set) those the user is in directly or through a group. */
  async list(
    query: ListQuery,
    memberId: number | null,
  ): Promise<{ items: Tenant[]; total: number }> {
    const qb = this.tenants.createQueryBuilder('tenant');
    if (memberId !== null) {
      qb.where(
        `(tenant.id IN (SELECT ut.tenant_id FROM users_tenants ut WHERE ut.user_id = :member)
          OR tenant.id IN (SELECT gt.tenant_id FROM groups_tenants gt
                             JOIN users_groups ug ON ug.group_id = gt.group_id
                            WHERE ug.user_id = :member))`,
        { member: memberId },
      );
    }
    applyListQuery(qb, query, COLUMNS, 'name');
    if (!query.sort.length) qb.orderBy('tenant.id', 'ASC');
    return fetchPage(qb, query);
  }

  /** The members of several tenants at once, by tenant id. */
  async membersOf(tenantIds: readonly number[]): Promise<Map<number, TenantMembers>> {
    const members = new Map<number, TenantMembers>(
      tenantIds.map((id) => [id, { direct: new Map(), groups: new Map() }]),
    );
    if (!tenantIds.length) return members;
    const [direct, groups]: [
      { tenant_id: number; username: string; role: string }[],
      { tenant_id: number; group: string; role: string; users: string[] }[],
    ] = await Promise.all([
      this.tenants.query(
        `SELECT ut.tenant_id, u.username, r.name AS role
           FROM users_tenants ut JOIN users u ON u.id = ut.user_id JOIN roles r ON r.id = ut.role_id
          WHERE ut.tenant_id = ANY($1) ORDER BY u.username`,
        [tenantIds],
      ),
      this.tenants.query(
        `SELECT gt.tenant_id, g.name AS "group", r.name AS role,
                COALESCE((SELECT array_agg(u.username ORDER BY u.username)
                            FROM users_groups ug JOIN users u ON u.id = ug.user_id
                           WHERE ug.group_id = g.id), '{}') AS users
           FROM groups_tenants gt JOIN groups g ON g.id = gt.group_id JOIN roles r ON r.id = gt.role_id
          WHERE gt.tenant_id = ANY($1) ORDER BY g.name`,
        [tenantIds],
      ),
    ]);
    for (const row of direct) members.get(row.tenant_id)?.direct.set(row.username, row.role);
    for (const row of groups) {
      members.get(row.tenant_id)?.groups.set(row.group, { role: row.role, users: row.users });
    }
    return members;
  }

  async insert(values: Partial<Tenant>): Promise<void> {
    await this.tenants.insert(values);
  }

  /** Deletes the tenant; memberships go with it (foreign keys cascade). */
  async delete(tenant: Tenant): Promise<void> {
    await this.tenants.delete({ id: tenant.id });
  }

  /** Rows the tenant owns, per table that has a `_tenant_id` (empty when there are none). */
  async resourceCounts(tenantId: number): Promise<{ table: string; count: number }[]> {
    const tables: { table_name: string }[] = await this.tenants.query(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND column_name = '_tenant_id'
        ORDER BY table_name`,
    );
    if (!tables.length) return [];
    const union = tables
      .map(
        ({ table_name }) =>
          `SELECT '${table_name}' AS "table", count(*)::int AS count
             FROM "${table_name}" WHERE _tenant_id = $1`,
      )
      .join(' UNION ALL ');
    const rows: { table: string; count: number }[] = await this.tenants.query(
      `SELECT * FROM (${union}) c WHERE c.count > 0`,
      [tenantId],
    );
    return rows;
  }

  /** The member's role id in the tenant, or undefined when it is not a member. */
  async memberRole(
    kind: MemberKind,
    memberId: number,
    tenantId: number,
  ): Promise<number | undefined> {
    const { table, column } = MEMBER_TABLE[kind];
    const rows: { role_id: number }[] = await this.tenants.query(
      `SELECT role_id FROM ${table} WHERE ${column} = $1 AND tenant_id = $2`,
      [memberId, tenantId],
    );
    return rows[0]?.role_id;
  }

  async addMember(
    kind: MemberKind,
    memberId: number,
    tenantId: number,
    roleId: number,
  ): Promise<void> {
    const { table, column } = MEMBER_TABLE[kind];
    await this.tenants.query(
      `INSERT INTO ${table} (${column}, tenant_id, role_id) VALUES ($1, $2, $3)`,
      [memberId, tenantId, roleId],
    );
  }

  async setMemberRole(
    kind: MemberKind,
    memberId: number,
    tenantId: number,
    roleId: number,
  ): Promise<void> {
    const { table, column } = MEMBER_TABLE[kind];
    await this.tenants.query(
      `UPDATE ${table} SET role_id = $3 WHERE ${column} = $1 AND tenant_id = $2`,
      [memberId, tenantId, roleId],
    );
  }

  async removeMember(kind: MemberKind, memberId: number, tenantId: number): Promise<void> {
    const { table, column } = MEMBER_TABLE[kind];
    await this.tenants.query(`DELETE FROM ${table} WHERE ${column} = $1 AND tenant_id = $2`, [
      memberId,
      tenantId,
    ]);
  }
}
