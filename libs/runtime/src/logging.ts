import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger as PinoRoot } from 'pino';
import { NestifyConfig } from '@nestify/config';
import { AppName } from './app-name';

/** The app's pino logger, for code that logs outside Nest's Logger (the REST request log). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Credential headers, wherever a request's headers are logged. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["authentication-token"]',
  'req.headers["execution-token"]',
];

/** Structured logs (pino): JSON for machines, pretty for a person at a terminal; every line names its app. */
export function createRootLogger(app: AppName, config: NestifyConfig): PinoRoot {
  return pino({
    level: config.log.level,
    name: app,
    redact: REDACTED_PATHS,
    transport:
      config.log.format === 'pretty'
        ? {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          }
        : undefined,
  });
}

/**
 * Nest's Logger backed by the app's pino logger. Nest middleware is not used for request lines:
 * it would put @fastify/middie, a pino-http child logger and an AsyncLocalStorage context on every
 * request (most of the API's per-request cost); the REST service logs requests from a Fastify
 * hook instead (apps/rest-service request-log.ts).
 */
export function loggingModule(logger: PinoRoot): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] });
}
