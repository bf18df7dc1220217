import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { AuditLogWriter } from '../audit/audit-log.writer';
import { registerAuditTrail } from '../audit/audit-trail.hook';
import { registerAuthRateLimit } from './auth-rate-limit';
import { registerSecurityHeaders } from './security-headers';

/**
 * The REST service's hardening, as Fastify plugins and hooks (they must be in place before Nest
 * registers its routes): security headers, the `X-Request-Id` echo, authentication rate limits
 * and the audit trail of mutating requests.
 */
export async function registerHttpSecurity(app: NestFastifyApplication): Promise<void> {
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  const config = app.get<NestifyConfig>(NESTIFY_CONFIG);
  registerSecurityHeaders(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerAuthRateLimit(fastify, config.http);
  registerAuditTrail(fastify, app.get(AuditLogWriter));
}
