import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers, as its middleware sets them. Its default CSP already lets Swagger UI at
 * /api/docs load: same-origin scripts, inline styles, data: images. `upgrade-insecure-requests`
 * is dropped: on plain HTTP (the default) it would make browsers fetch Swagger UI's assets over
 * HTTPS, where nothing answers.
 */
export function securityHeaders(): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  const recorder = {
    setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } })(
    {} as never,
    recorder as never,
    () => undefined,
  );
  return headers;
}

/**
 * Helmet's headers on every response. They do not depend on the request, so they are worked out
 * once and added as reply headers (a fresh helmet middleware per request, as @fastify/helmet
 * runs it, was a tenth of a small GET's cost). A route that hijacks its response writes them
 * itself from `reply.getHeaders()` (the SSE stream does).
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
