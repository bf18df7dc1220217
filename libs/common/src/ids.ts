import { randomBytes, randomUUID } from 'node:crypto';
import { BadParametersError } from './errors';

/** Execution, operation and tasks-graph ids are UUID4 strings, as in Cloudify. */
export function newUuid(): string {
  return randomUUID();
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Node-instance ids are `<node_id>_<6 chars [a-z0-9]>`. */
export function newNodeInstanceId(nodeId: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const byte of bytes) suffix += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  return `${nodeId}_${suffix}`;
}

const ID_PATTERN = /^[A-Za-z0-9._~-]+$/;
export const MAX_ID_LENGTH = 256;

/**
 * Validates a user-chosen resource id (blueprint, deployment, secret key, site, tenant, username…).
 * Everything but deployment ids must also begin with a letter.
 */
export function validateResourceId(
  value: unknown,
  argumentName: string,
  options: { mustStartWithLetter?: boolean } = {},
): string {
  const mustStartWithLetter = options.mustStartWithLetter ?? true;
  if (typeof value !== 'string' || value.length === 0) {
    throw new BadParametersError(`The \`${argumentName}\` argument is empty`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new BadParametersError(
      `The \`${argumentName}\` argument is longer than ${MAX_ID_LENGTH} characters`,
    );
  }
  if (!ID_PATTERN.test(value)) {
    throw new BadParametersError(
      `The \`${argumentName}\` argument contains illegal characters. Only letters, digits and the` +
        ` characters "-", "." and "_" are allowed`,
    );
  }
  if (mustStartWithLetter && !/^[A-Za-z]/.test(value)) {
    throw new BadParametersError(`The \`${argumentName}\` argument must begin with a letter`);
  }
  return value;
}
