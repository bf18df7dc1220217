import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AUTH_CONTEXT_KEY, AuthContext } from '../auth/auth-context';
import { NewAuditLogEntry } from './audit-log.repository';
import { AuditLogWriter } from './audit-log.writer';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type AuthenticatedRequest = FastifyRequest & { [AUTH_CONTEXT_KEY]?: AuthContext };

/**
 * The audit row of a finished request: names from the auth guard's context, the path without
 * its query string. Nothing from headers or the body is copied, so credentials and secret values
 * never reach the table.
 */
export function auditEntryOf(request: AuthenticatedRequest, status: number): NewAuditLogEntry {
  const auth = request[AUTH_CONTEXT_KEY];
  const url = request.url;
  const query = url.indexOf('?');
  return {
    createdAt: new Date(),
    username: auth?.user.username ?? null,
    tenantName: auth?.tenant?.name ?? null,
    method: request.method,
    path: query < 0 ? url : url.slice(0, query),
    status,
    requestId: String(request.id),
    ip: request.ip,
  };
}

/** Records every mutating request once its response is sent (refused ones included). */
export function registerAuditTrail(fastify: FastifyInstance, writer: AuditLogWriter): void {
  fastify.addHook('onResponse', (request: AuthenticatedRequest, reply, done) => {
    if (MUTATING.has(request.method)) writer.add(auditEntryOf(request, reply.statusCode));
    done();
  });
}
