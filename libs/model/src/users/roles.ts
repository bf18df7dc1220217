/** A system role applies everywhere; a tenant role is what a user may do inside one tenant. */
export enum RoleType {
  SystemRole = 'system_role',
  TenantRole = 'tenant_role',
}

export const ROLE_TYPES: readonly RoleType[] = Object.values(RoleType);

export const SYS_ADMIN_ROLE = 'sys_admin';
export const DEFAULT_SYSTEM_ROLE = 'default';

/** The roles every manager has; the initial migration inserts them. */
export const BUILTIN_ROLES: readonly { name: string; type: RoleType; description: string }[] = [
  { name: SYS_ADMIN_ROLE, type: RoleType.SystemRole, description: 'Administers the whole manager' },
  {
    name: DEFAULT_SYSTEM_ROLE,
    type: RoleType.SystemRole,
    description: 'No rights beyond its tenant roles',
  },
  { name: 'manager', type: RoleType.TenantRole, description: 'Runs a tenant, its users included' },
  { name: 'operations', type: RoleType.TenantRole, description: 'Deploys and runs workflows' },
  { name: 'user', type: RoleType.TenantRole, description: 'Works with the resources of a tenant' },
  { name: 'viewer', type: RoleType.TenantRole, description: 'Reads the resources of a tenant' },
];

/** The tenant role the bootstrap admin holds in the default tenant. */
export const DEFAULT_TENANT_ROLE = 'user';
