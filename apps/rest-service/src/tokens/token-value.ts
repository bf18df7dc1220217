import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Characters of token ids and secrets: letters and digits, friendlier to copy than a UUID. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_ID_LENGTH = 10;
export const TOKEN_SECRET_LENGTH = 40;
export const TOKEN_PREFIX = 'ctok';
/** What a token's secret looks like once it was shown at creation. */
export const HIDDEN_SECRET = '********';

/** `length` characters of ALPHABET from crypto.randomBytes, without modulo bias. */
export function randomToken(length: number): string {
  // 248 is the largest multiple of 62 below 256: bytes at or above it are dropped.
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export interface TokenParts {
  id: string;
  secret: string;
}

/**
 * Splits `<prefix>-<id>-<secret>` into id and secret; `undefined` when the value does not have
 * three dash-separated parts (Cloudify's "Invalid token structure"). The secret may itself hold
 * dashes. An id or secret of the wrong length is well-formed but matches no token.
 */
export function parseTokenValue(value: string): TokenParts | undefined {
  const first = value.indexOf('-');
  const second = first < 0 ? -1 : value.indexOf('-', first + 1);
  if (second < 0) return undefined;
  return { id: value.slice(first + 1, second), secret: value.slice(second + 1) };
}

/** `ctok-<id>-<secret>`; the secret is masked unless given (it is only known at creation). */
export function formatTokenValue(id: string, secret: string = HIDDEN_SECRET): string {
  return `${TOKEN_PREFIX}-${id}-${secret}`;
}

/**
 * What is stored of a secret. Secrets are 40 random characters (~238 bits), so a plain SHA-256
 * cannot be brute-forced and, unlike a password hash, costs nothing per request.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashTokenSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Execution tokens are stored as the SHA-256 hex of the token Cloudify's workflows send. */
export function hashExecutionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
