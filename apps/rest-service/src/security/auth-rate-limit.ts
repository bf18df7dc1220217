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

  // Callback hooks: an async hook costs every request a promise, and these run on all of them.
  fastify.addHook('onRequest', (request: RequestWithAttempt, reply, done) => {
    const attempt = authAttemptOf(request);
    if (!attempt.guessable && !attempt.createsToken) return done();
    request.authAttempt = attempt;
    const ip = `ip:${attempt.ip}`;
    const user = userKey(attempt.username);
    const failing = attempt.guessable ? waitFor(failures, [ip, user]) : 0;
    if (failing > 0) return void sendTooManyRequests(reply, failing, 'failed authentications');
    const creating = attempt.createsToken ? waitFor(tokens, [ip, user]) : 0;
    if (creating > 0) return void sendTooManyRequests(reply, creating, 'token requests');
    done();
  });

  const count = (request: RequestWithAttempt, status: number) => {
    const attempt = request.authAttempt;
    if (!attempt) return;
    const ip = `ip:${attempt.ip}`;
    if (status === 401 && attempt.guessable) {
      failures.record(ip);
      const user = userKey(attempt.username);
      if (user) failures.record(user);
    } else if (attempt.createsToken && status < 300) {
      tokens.record(ip);
      const user = userKey(request[AUTH_CONTEXT_KEY]?.user.username ?? attempt.username);
      if (user) tokens.record(user);
    }
  };
  fastify.addHook('onResponse', (request: RequestWithAttempt, reply, done) => {
    count(request, reply.statusCode);
    done();
  });
}
