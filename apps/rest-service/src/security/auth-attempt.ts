import type { FastifyRequest } from 'fastify';
import { readCredentials } from '../auth/credentials';
import { headerValue } from '../common/http/header-value';

/** POST /tokens, after the API-version rewrite. */
const TOKEN_CREATION = /^\/api\/v3\.1\/tokens\/?(\?|$)/i;

/** What the authentication rate limits need to know about a request. */
export interface AuthAttempt {
  ip: string;
  /** The Basic username, when the request sends one. */
  username?: string;
  /**
   * Whether it presents a password or an API token that could be guessed. Execution tokens are
   * left out: they are long random values, and workflows call back with them from the manager's
   * own address, which a burst of stale tokens must not lock out.
   */
  guessable: boolean;
  createsToken: boolean;
}

export function authAttemptOf(request: FastifyRequest): AuthAttempt {
  const credentials = readCredentials((name) => headerValue(request, name));
  const guessable =
    !credentials.executionToken && (!!credentials.basic || !!credentials.authenticationToken);
  return {
    ip: request.ip,
    username: credentials.basic?.username,
    guessable,
    createsToken: request.method === 'POST' && TOKEN_CREATION.test(request.url),
  };
}
