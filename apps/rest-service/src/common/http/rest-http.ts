import fastifyMultipart from '@fastify/multipart';
import { randomUUID } from 'node:crypto';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { HttpSecuritySettings, NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { rewriteApiVersion } from './api-version';
import { RAW_BODY_TYPE, relabelRawArchiveBody } from './raw-archive-body';

/**
 * Largest JSON request body by default (HTTP_JSON_BODY_LIMIT_MB): the workflow engine posts
 * thousands of node instances at once.
 */
export const JSON_BODY_LIMIT = 50 * 1024 * 1024;

/** Longest path parameter (Fastify's default of 100 would refuse long ids and file paths). */
const MAX_PARAM_LENGTH = 4096;

/** A client's `X-Request-Id` is kept when it is a plain token; otherwise a UUID is made. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * The REST service's Fastify platform. Older API prefixes are rewritten before routing (a
 * middleware would run too late: Fastify routes first); paths match case-insensitively and with
 * or without a trailing slash, as they did on Express. Behind a proxy (`trustProxy`), client IPs
 * come from `X-Forwarded-For`.
 */
export function createRestHttpAdapter(
  settings: Partial<Pick<HttpSecuritySettings, 'trustProxy' | 'jsonBodyLimitBytes'>> = {},
): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: settings.jsonBodyLimitBytes ?? JSON_BODY_LIMIT,
    trustProxy: settings.trustProxy ?? false,
    genReqId: requestIdOf,
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
  const { http } = app.get<NestifyConfig>(NESTIFY_CONFIG);
  const limit = { bodyLimit: http.jsonBodyLimitBytes };
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
