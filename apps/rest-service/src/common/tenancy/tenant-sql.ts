import { TenantScope } from './tenant-scope';

/** Numbered parameters for hand-written SQL: values never reach the SQL text. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The raw-SQL twin of `whereVisible` for a tenant-scoped table aliased `alias`: the caller's
 * tenant (or, with `allTenants`, every tenant it belongs to — all of them for an admin) plus
 * global rows, minus others' private rows unless an admin.
 */
export function visibleSql(
  alias: string,
  scope: TenantScope,
  params: SqlParams,
  allTenants = false,
): string {
  const clauses: string[] = [];
  if (!allTenants) {
    clauses.push(
      `(${alias}._tenant_id = ${params.add(scope.tenantId)} OR ${alias}.visibility = 'global')`,
    );
  } else if (!scope.isAdmin) {
    const user = params.add(scope.userId);
    clauses.push(
      `(${alias}._tenant_id IN (SELECT ut.tenant_id FROM users_tenants ut WHERE ut.user_id = ${user}
         UNION SELECT gt.tenant_id FROM groups_tenants gt
           JOIN users_groups ug ON ug.group_id = gt.group_id WHERE ug.user_id = ${user})
        OR ${alias}.visibility = 'global')`,
    );
  }
  if (!scope.isAdmin) {
    clauses.push(
      `(${alias}.visibility <> 'private' OR ${alias}._creator_id = ${params.add(scope.userId)})`,
    );
  }
  return clauses.length ? clauses.join(' AND ') : 'TRUE';
}
