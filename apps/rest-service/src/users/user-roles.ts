import { DEFAULT_SYSTEM_ROLE, SYS_ADMIN_ROLE } from '@nestify/model';
import type { HeldRole } from './users.repository';

/** The roles that count for one request, derived from what the user holds. */
export interface EffectiveRoles {
  /** The user's own first system role (Cloudify's `user.role`); null when it has none. */
  ownSystemRole: string | null;
  /** `sys_admin` when held directly or through a group, else the own role, else `default`. */
  systemRole: string;
  /** Roles in the asked tenant, direct first, then through groups (no duplicates). */
  tenantRoles: string[];
  /** The direct tenant role, if any. */
  directTenantRole: string | null;
  /** Every role name held for this request: system, group system and tenant roles. */
  all: string[];
}

/** Folds held roles (ordered by role id, as the repository returns them) into effective ones. */
export function effectiveRoles(held: readonly HeldRole[]): EffectiveRoles {
  const of = (...sources: HeldRole['source'][]) =>
    held.filter((r) => sources.includes(r.source)).map((r) => r.role);
  const own = of('system');
  const systemRoles = of('system', 'group_system');
  const direct = of('tenant');
  const tenantRoles = [...new Set([...direct, ...of('group_tenant')])];
  const ownSystemRole = own[0] ?? null;
  return {
    ownSystemRole,
    systemRole: systemRoles.includes(SYS_ADMIN_ROLE)
      ? SYS_ADMIN_ROLE
      : (ownSystemRole ?? DEFAULT_SYSTEM_ROLE),
    tenantRoles,
    directTenantRole: direct[0] ?? null,
    all: [...new Set([...systemRoles, ...tenantRoles])],
  };
}
