import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * One info line per finished request, in pino-http's shape (`req`, `res`, `responseTime`), with
 * the credential headers redacted by the logger. Nothing is registered below the info level.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    logger.info(
      {
        req: {
          id: request.id,
          method: request.method,
          url: request.url,
          headers: request.headers,
          remoteAddress: request.ip,
        },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      },
      reply.statusCode >= 500 ? 'request errored' : 'request completed',
    );
    done();
  });
}
