import fastifyMultipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { rewriteApiVersion } from './api-version';
import { RAW_BODY_TYPE, relabelRawArchiveBody } from './raw-archive-body';

const MIB = 1024 * 1024;

/** Largest JSON request body: the workflow engine posts thousands of node instances at once. */
export const JSON_BODY_LIMIT = 50 * MIB;

/** Longest path parameter (Fastify's default of 100 would refuse long ids and file paths). */
const MAX_PARAM_LENGTH = 4096;

/**
 * The REST service's Fastify platform. Older API prefixes are rewritten before routing (a
 * middleware would run too late: Fastify routes first); paths match case-insensitively and with
 * or without a trailing slash, as they did on Express.
 */
export function createRestHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: JSON_BODY_LIMIT,
    rewriteUrl: (req: IncomingMessage) => rewriteApiVersion(req.url ?? '/'),
    routerOptions: {
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
  });
}

/**
 * Request bodies: JSON (an empty one reads as `{}`: Cloudify's client labels bodiless DELETEs
 * JSON), url-encoded forms, multipart (read by the upload controllers through
 * MultipartReceiver) and raw archives, whose stream is left unread for the controller.
 */
export async function registerBodyParsers(app: NestFastifyApplication): Promise<void> {
  const fastify = fastifyOf(app);
  fastify.addHook('onRequest', (request, _reply, done) => {
    relabelRawArchiveBody(request.raw);
    done();
  });
  const limit = { bodyLimit: JSON_BODY_LIMIT };
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  // Through Nest's useBodyParser, so that Nest does not register its own parsers at init.
  app.useBodyParser('application/json', limit, (request, body, done) => {
    if (body.length === 0) done(null, {});
    else parseJson(request as never, body.toString('utf8'), done);
  });
  app.useBodyParser('application/x-www-form-urlencoded', limit, (_request, body, done) =>
    done(null, { ...parseQueryString(body.toString('utf8')) }),
  );
  fastify.addContentTypeParser(RAW_BODY_TYPE, (_request, _payload, done) => done(null));
  await fastify.register(fastifyMultipart);
}

/** The app's Fastify instance (one copy of fastify, pinned to @nestjs/platform-fastify's). */
function fastifyOf(app: NestFastifyApplication): FastifyInstance {
  return app.getHttpAdapter().getInstance();
}
