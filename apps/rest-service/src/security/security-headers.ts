import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's headers on every response, JSON and SSE alike (they are set on the raw response at
 * the start of the request, so streams that write their own head keep them). Its default CSP
 * already lets Swagger UI at /api/docs load: same-origin scripts, inline styles, data: images.
 * `upgrade-insecure-requests` is dropped: on plain HTTP (the default) it would make browsers
 * fetch Swagger UI's assets over HTTPS, where nothing answers.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance): Promise<void> {
  await fastify.register(helmet, {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}
