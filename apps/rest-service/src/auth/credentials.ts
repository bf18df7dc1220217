/** The credentials a request carries, read from its headers. */
export interface Credentials {
  /** `Execution-Token`. */
  executionToken?: string;
  /** `Authentication-Token`: an API token, or an execution token. */
  authenticationToken?: string;
  /** From `Authorization: Basic`; absent when the username does not start with a letter. */
  basic?: { username: string; password: string };
}

/** Cloudify ignores Basic credentials whose username does not start with an ASCII letter. */
const USERNAME_START = /^[A-Za-z]/;

/** Decodes `Authorization: Basic b64(user:password)`; undefined for anything else. */
export function parseBasicAuthorization(
  header: string | undefined,
): Credentials['basic'] | undefined {
  const match = header === undefined ? null : /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  if (!USERNAME_START.test(username)) return undefined;
  return { username, password: decoded.slice(colon + 1) };
}

/** Reads the credential headers (names are case-insensitive; empty values count as absent). */
export function readCredentials(header: (name: string) => string | undefined): Credentials {
  const nonEmpty = (value: string | undefined) => (value ? value : undefined);
  return {
    executionToken: nonEmpty(header('execution-token')),
    authenticationToken: nonEmpty(header('authentication-token')),
    basic: parseBasicAuthorization(header('authorization')),
  };
}
