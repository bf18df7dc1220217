import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers, as its middleware sets them, for what a browser may render: Swagger UI and
 * served resources. Its default CSP already lets Swagger UI at /api/docs load: same-origin
 * scripts, inline styles, data: images. `upgrade-insecure-requests` is dropped: on plain HTTP
 * (the default) it would make browsers fetch Swagger UI's assets over HTTPS, where nothing
 * answers.
 */
export function documentSecurityHeaders(): OutgoingHttpHeaders {
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
 * The headers of the JSON API (OWASP's REST Security Cheat Sheet): nothing in an API response
 * may load, frame or be sniffed, and nothing is stored by caches. Helmet's other headers only
 * govern documents (opener, embedding, prefetch, legacy IE and Flash); left out, they no longer
 * double the bytes of a small response's head.
 */
export const API_SECURITY_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** The JSON API: /api/v1 … /api/v3.1 (older prefixes are already rewritten when hooks run). */
const API_PATH = /^\/api\/v\d/;

/**
 * Security headers on every response: the API's set under /api/v…, helmet's document set
 * elsewhere. They do not depend on anything else in the request, so both sets are worked out
 * once and added as reply headers. A route that hijacks its response writes them itself from
 * `reply.getHeaders()` (the SSE stream does).
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const documentHeaders = documentSecurityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(API_PATH.test(request.url) ? API_SECURITY_HEADERS : documentHeaders);
    done();
  });
}
