import { hash } from 'bcryptjs';
import { DataSource } from 'typeorm';
import { DEFAULT_SYSTEM_ROLE, Role, Tenant, User, UserTenant } from '@nestify/model';

/** Basic credentials for supertest's `.set('Authorization', …)`. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Creates a tenant and returns it. */
export async function createTenant(dataSource: DataSource, name: string): Promise<Tenant> {
  const tenants = dataSource.getRepository(Tenant);
  return tenants.save(tenants.create({ name }));
}

/**
 * Creates a user with the `default` system role and the given role in each tenant, straight in
 * the database (the users API is another issue's).
 */
export async function createUser(
  dataSource: DataSource,
  username: string,
  password: string,
  tenantRoles: Record<string, string>,
): Promise<User> {
  const roles = dataSource.getRepository(Role);
  const users = dataSource.getRepository(User);
  const systemRole = await roles.findOneByOrFail({ name: DEFAULT_SYSTEM_ROLE });
  const user = await users.save(
    users.create({ username, password: await hash(password, 4), roles: [systemRole] }),
  );
  for (const [tenantName, roleName] of Object.entries(tenantRoles)) {
    const tenant = await dataSource.getRepository(Tenant).findOneByOrFail({ name: tenantName });
    const role = await roles.findOneByOrFail({ name: roleName });
    const links = dataSource.getRepository(UserTenant);
    await links.save(links.create({ userId: user.id, tenantId: tenant.id, roleId: role.id }));
  }
  return user;
}
