import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers on every response, JSON and SSE alike (they are set on the raw response at
 * the start of the request, so streams that write their own head keep them). Its default CSP
 * already lets Swagger UI at /api/docs load: same-origin scripts, inline styles, data: images.
 * `upgrade-insecure-requests` is dropped: on plain HTTP (the default) it would make browsers
 * fetch Swagger UI's assets over HTTPS, where nothing answers.
 *
 * Helmet itself rather than @fastify/helmet: the plugin builds a new helmet middleware (parsing
 * the CSP directives again) on every request; this one is built once.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
