import type { FastifyReply } from 'fastify';

/** Cloudify has no rate limits; the code follows its `<what>_error` naming. */
export const TOO_MANY_REQUESTS_ERROR = 'too_many_requests_error';

/** Answers 429 in Cloudify's error shape, with `Retry-After` in whole seconds. */
export function sendTooManyRequests(reply: FastifyReply, retryAfterMs: number, what: string) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({
      message: `Too many ${what}; try again in ${seconds} s`,
      error_code: TOO_MANY_REQUESTS_ERROR,
      server_traceback: null,
    });
}
