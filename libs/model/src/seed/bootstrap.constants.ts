/** The tenant every manager starts with. */
export const DEFAULT_TENANT_ID = 0;
export const DEFAULT_TENANT_NAME = 'default_tenant';

/** The bootstrap administrator: cannot be deleted, always sys_admin. */
export const BOOTSTRAP_ADMIN_ID = 0;
export const BOOTSTRAP_ADMIN_USERNAME = 'admin';

/** bcrypt cost of stored passwords (the hash records it, so raising it later is safe). */
export const PASSWORD_HASH_ROUNDS = 10;
