import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpSecuritySettings } from '@nestify/config';
import { AUTH_CONTEXT_KEY, AuthContext } from '../auth/auth-context';
import { AttemptLimiter } from './attempt-limiter';
import { AuthAttempt, authAttemptOf } from './auth-attempt';
import { sendTooManyRequests } from './too-many-requests';

type RequestWithAttempt = FastifyRequest & {
  authAttempt?: AuthAttempt;
  [AUTH_CONTEXT_KEY]?: AuthContext;
};

/** The first key of `keys` that is over its limit, as milliseconds to wait; 0 when none is. */
function waitFor(limiter: AttemptLimiter, keys: Array<string | undefined>): number {
  for (const key of keys) {
    const wait = key ? limiter.retryAfterMs(key) : 0;
    if (wait > 0) return wait;
  }
  return 0;
}

/**
 * Brute-force protection in front of the auth guard: failed authentications (401s of requests
 * that sent a password or API token) and token creations are counted per client IP and per
 * username; past the limit such requests get 429 without reaching the guard. The users table's
 * failed-login counter and lock still apply to the attempts let through.
 */
export function registerAuthRateLimit(fastify: FastifyInstance, settings: HttpSecuritySettings) {
  const failures = new AttemptLimiter(settings.authFailuresPerWindow, settings.authWindowMs);
  const tokens = new AttemptLimiter(settings.tokensPerWindow, settings.authWindowMs);
  const userKey = (name: string | undefined) => (name === undefined ? undefined : `user:${name}`);

  fastify.addHook('onRequest', async (request: RequestWithAttempt, reply) => {
    const attempt = authAttemptOf(request);
    if (!attempt.guessable && !attempt.createsToken) return;
    request.authAttempt = attempt;
    const ip = `ip:${attempt.ip}`;
    const user = userKey(attempt.username);
    const failing = attempt.guessable ? waitFor(failures, [ip, user]) : 0;
    if (failing > 0) return sendTooManyRequests(reply, failing, 'failed authentications');
    const creating = attempt.createsToken ? waitFor(tokens, [ip, user]) : 0;
    if (creating > 0) return sendTooManyRequests(reply, creating, 'token requests');
  });

  fastify.addHook('onResponse', async (request: RequestWithAttempt, reply) => {
    const attempt = request.authAttempt;
    if (!attempt) return;
    const ip = `ip:${attempt.ip}`;
    if (reply.statusCode === 401 && attempt.guessable) {
      failures.record(ip);
      const user = userKey(attempt.username);
      if (user) failures.record(user);
    } else if (attempt.createsToken && reply.statusCode < 300) {
      tokens.record(ip);
      const user = userKey(request[AUTH_CONTEXT_KEY]?.user.username ?? attempt.username);
      if (user) tokens.record(user);
    }
  });
}
