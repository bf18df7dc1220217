/** A user's roles in a tenant: the direct one, and all (direct and through groups). */
export interface TenantUserEntry {
  'tenant-role': string | null;
  roles: string[];
}

/** Cloudify's Tenant: counts of users and groups, or (`_get_data`) maps of their roles. */
export class TenantResponseDto {
  name: string;
  users: number | Record<string, TenantUserEntry>;
  groups: number | Record<string, string>;
  user_roles: {
    direct: Record<string, string>;
    groups: Record<string, { role: string; users: string[] }>;
  } | null;
  rabbitmq_username: string | null;
  rabbitmq_password: string | null;
  rabbitmq_vhost: string | null;
}

export const TENANT_FIELDS = [
  'name',
  'users',
  'groups',
  'user_roles',
  'rabbitmq_username',
  'rabbitmq_password',
  'rabbitmq_vhost',
] as const;
