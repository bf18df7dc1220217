/** A tenant the user is in: its direct role there, and every role it holds there. */
export interface UserTenantEntry {
  'tenant-role': string | null;
  roles: string[];
}

/** Cloudify's User as `GET /user` returns it; counts instead of maps unless `_get_data`. */
export class UserResponseDto {
  username: string;
  role: string | null;
  /** System role → the user's groups that grant it. */
  group_system_roles: Record<string, string[]>;
  tenants: number | Record<string, UserTenantEntry>;
  /** Only with `_get_data`: direct tenant roles, and tenant → role → groups granting it. */
  tenant_roles: {
    direct: Record<string, string>;
    groups: Record<string, Record<string, string[]>>;
  } | null;
  groups: number | string[];
  active: boolean;
  created_at: string | null;
  first_login_at: string | null;
  last_login_at: string | null;
  is_locked: boolean;
  show_getting_started: boolean;
}

export const USER_FIELDS = [
  'username',
  'role',
  'group_system_roles',
  'tenants',
  'tenant_roles',
  'groups',
  'active',
  'created_at',
  'first_login_at',
  'last_login_at',
  'is_locked',
  'show_getting_started',
] as const;
