import { BadParametersError } from '@nestify/common';

const MIN_PASSWORD = 5;
const MAX_PASSWORD = 256;
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Cloudify's password rules: 5 to 256 characters. */
export function validatePassword(password: string | undefined): string {
  if (!password) throw new BadParametersError('The password is empty');
  if (password.length > MAX_PASSWORD) {
    throw new BadParametersError(
      `The password is too long. Maximum allowed length is ${MAX_PASSWORD} characters`,
    );
  }
  if (password.length < MIN_PASSWORD) {
    throw new BadParametersError(
      `The password is too short. Minimum allowed length is ${MIN_PASSWORD} characters`,
    );
  }
  return password;
}

/** A pre-hashed password must be a bcrypt hash, the only scheme logins here verify. */
export function validatePasswordHash(hash: string): string {
  if (!BCRYPT_HASH.test(hash)) {
    throw new BadParametersError('A pre-hashed password must be a bcrypt hash ($2a$/$2b$/$2y$)');
  }
  return hash;
}

/** A timestamp of a user imported with its history (ISO 8601 with a time zone). */
export function parseUserTimestamp(value: string | undefined, name: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/(Z|[+-]\d\d:?\d\d)$/i.test(value.trim())) {
    throw new BadParametersError(
      `Date \`${value}\` of \`${name}\` is not an ISO 8601 date with time zone information`,
    );
  }
  return date;
}

/** Describes what a user still owns, for the refusal to delete it. */
export function describeOwned(owned: { table: string; tenant: string; count: number }[]): string {
  return owned
    .map(({ table, tenant, count }) => `${count} ${table} in tenant \`${tenant}\``)
    .join(', ');
}
