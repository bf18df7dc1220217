import { hash } from 'bcryptjs';
import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_ROLE, SYS_ADMIN_ROLE } from '../users/roles';
import {
  BOOTSTRAP_ADMIN_ID,
  BOOTSTRAP_ADMIN_USERNAME,
  DEFAULT_TENANT_ID,
  DEFAULT_TENANT_NAME,
  PASSWORD_HASH_ROUNDS,
} from './bootstrap.constants';

export interface BootstrapSeedOptions {
  /** Password of `admin`, applied only when the user is created. */
  adminPassword: string;
}

export interface BootstrapSeedResult {
  adminCreated: boolean;
}

/**
 * Makes sure the default tenant and the bootstrap admin exist, the admin with a system role and a
 * place in the default tenant. Idempotent: it only adds what is missing, and never touches an
 * existing admin's password or roles. Run it in a transaction (openDatabase does, under the
 * start-up lock).
 */
export async function seedBootstrap(
  manager: EntityManager,
  options: BootstrapSeedOptions,
): Promise<BootstrapSeedResult> {
  await manager.query(`INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
    DEFAULT_TENANT_ID,
    DEFAULT_TENANT_NAME,
  ]);
  const adminCreated = await ensureAdmin(manager, options.adminPassword);
  await manager.query(
    `INSERT INTO users_roles (user_id, role_id)
     SELECT $1, r.id FROM roles r
     WHERE r.name = $2
       AND NOT EXISTS (
         SELECT 1 FROM users_roles ur JOIN roles sr ON sr.id = ur.role_id
         WHERE ur.user_id = $1 AND sr.type = 'system_role')`,
    [BOOTSTRAP_ADMIN_ID, SYS_ADMIN_ROLE],
  );
  await manager.query(
    `INSERT INTO users_tenants (user_id, tenant_id, role_id)
     SELECT $1, $2, r.id FROM roles r WHERE r.name = $3
     ON CONFLICT DO NOTHING`,
    [BOOTSTRAP_ADMIN_ID, DEFAULT_TENANT_ID, DEFAULT_TENANT_ROLE],
  );
  return { adminCreated };
}

/** Creates `admin` unless it exists; hashing is slow, so only then. */
async function ensureAdmin(manager: EntityManager, password: string): Promise<boolean> {
  const existing: unknown[] = await manager.query(`SELECT 1 FROM users WHERE id = $1`, [
    BOOTSTRAP_ADMIN_ID,
  ]);
  if (existing.length > 0) return false;
  const passwordHash = await hash(password, PASSWORD_HASH_ROUNDS);
  const inserted: unknown[] = await manager.query(
    `INSERT INTO users (id, username, password, active, show_getting_started)
     VALUES ($1, $2, $3, true, true)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [BOOTSTRAP_ADMIN_ID, BOOTSTRAP_ADMIN_USERNAME, passwordHash],
  );
  return inserted.length > 0;
}
