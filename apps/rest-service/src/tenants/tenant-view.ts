import { TenantResponseDto, TenantUserEntry } from './dto/tenant-response.dto';
import { TenantMembers } from './tenants.repository';

/** Rabbit credentials as the caller may see them (all null unless shown). */
export interface RabbitView {
  rabbitmq_username: string | null;
  rabbitmq_password: string | null;
  rabbitmq_vhost: string | null;
}

export const NO_RABBIT: RabbitView = {
  rabbitmq_username: null,
  rabbitmq_password: null,
  rabbitmq_vhost: null,
};

/**
 * Every user of a tenant with its roles there: the direct role (`tenant-role`, null when only in
 * through groups) and all roles, direct and through groups, sorted.
 */
export function tenantUsers(members: TenantMembers): Record<string, TenantUserEntry> {
  const roles = new Map<string, Set<string>>();
  const add = (user: string, role: string) =>
    (roles.get(user) ?? roles.set(user, new Set()).get(user))?.add(role);
  for (const [user, role] of members.direct) add(user, role);
  for (const { role, users } of members.groups.values()) for (const user of users) add(user, role);
  const result: Record<string, TenantUserEntry> = {};
  for (const user of [...roles.keys()].sort()) {
    result[user] = {
      'tenant-role': members.direct.get(user) ?? null,
      roles: [...(roles.get(user) ?? [])].sort(),
    };
  }
  return result;
}

/** Cloudify's Tenant: counts, or with `_get_data` the role maps and `user_roles`. */
export function tenantView(
  name: string,
  members: TenantMembers,
  getData: boolean,
  rabbit: RabbitView = NO_RABBIT,
): TenantResponseDto {
  const users = tenantUsers(members);
  const groups = Object.fromEntries([...members.groups].map(([group, { role }]) => [group, role]));
  return {
    name,
    users: getData ? users : Object.keys(users).length,
    groups: getData ? groups : Object.keys(groups).length,
    user_roles: getData
      ? {
          direct: Object.fromEntries(members.direct),
          groups: Object.fromEntries(
            [...members.groups].map(([group, { role, users: names }]) => [
              group,
              { role, users: names },
            ]),
          ),
        }
      : null,
    ...rabbit,
  };
}
