import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ForbiddenError } from '@nestify/common';
import { SYS_ADMIN_ROLE } from '@nestify/model';
import { AuthContext } from '../../auth/auth-context';

/** What a repository needs to know to show a caller only what it may see. */
export interface TenantScope {
  tenantId: number;
  tenantName: string;
  userId: number;
  /** sys_admin sees private resources of others. */
  isAdmin: boolean;
}

/** The scope of an authenticated, tenant-scoped request. */
export function tenantScopeOf(auth: AuthContext): TenantScope {
  if (!auth.tenant) throw new ForbiddenError('Authorization failed: tenant not provided');
  return {
    tenantId: auth.tenant.id,
    tenantName: auth.tenant.name,
    userId: auth.user.id,
    isAdmin: auth.user.systemRole === SYS_ADMIN_ROLE,
  };
}

/**
 * Restricts a query on a tenant-scoped table (alias `alias`) to what the caller may see: its
 * tenant's rows and global ones from any tenant, minus others' private rows unless an admin.
 */
export function whereVisible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  scope: TenantScope,
): SelectQueryBuilder<T> {
  qb.andWhere(`(${alias}.tenantId = :scopeTenant OR ${alias}.visibility = 'global')`, {
    scopeTenant: scope.tenantId,
  });
  if (!scope.isAdmin) {
    qb.andWhere(`(${alias}.visibility <> 'private' OR ${alias}.creatorId = :scopeUser)`, {
      scopeUser: scope.userId,
    });
  }
  return qb;
}

/**
 * whereVisible's rule for batched reads, where each row of `scopes` (columns `tenant_id`, and
 * `user_id` — NULL for an admin) carries the scope of one request.
 */
export function visibleToScopeSql(alias: string, scopes: string): string {
  return (
    `(${alias}._tenant_id = ${scopes}.tenant_id OR ${alias}.visibility = 'global')` +
    ` AND (${scopes}.user_id IS NULL OR ${alias}.visibility <> 'private'` +
    ` OR ${alias}._creator_id = ${scopes}.user_id)`
  );
}

/** A scope as the columns of visibleToScopeSql's `scopes`. */
export function scopeColumns(scope: TenantScope): { tenantId: number; userId: number | null } {
  return { tenantId: scope.tenantId, userId: scope.isAdmin ? null : scope.userId };
}
