import { RequestMethod, ValidationPipe } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestifyConfig } from '@nestify/config';
import type { Logger as PinoRoot } from 'pino';
import { AppOptions, createApp, ROOT_LOGGER } from '@nestify/runtime';
import { HttpErrorFilter } from './common/filters/http-error.filter';
import { API_PREFIX } from './common/http/api-version';
import { registerRequestLog } from './common/http/request-log';
import { createRestHttpAdapter, registerBodyParsers } from './common/http/rest-http';
import { setupOpenApi } from './openapi/openapi';
import { registerHttpSecurity } from './security/http-security';
import { RestServiceModule } from './rest-service.module';

/**
 * Everything the REST service adds to a Fastify app built on createRestHttpAdapter(): body
 * parsers, the global prefix, pipe and filter, and the OpenAPI routes. Before `init`/`listen`.
 */
export async function configureRestService(app: NestFastifyApplication): Promise<void> {
  await registerBodyParsers(app);
  registerRequestLog(app.getHttpAdapter().getInstance(), app.get<PinoRoot>(ROOT_LOGGER));
  await registerHttpSecurity(app);
  // The file server lives at /resources/…, beside the API, as Cloudify's nginx serves it.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [{ path: 'resources/*path', method: RequestMethod.GET }],
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.useGlobalFilters(new HttpErrorFilter());
  await setupOpenApi(app); // after the global prefix: /api/docs, /api/docs-json
}

/** Creates the REST service on Fastify, ready to `listen`. */
export async function createRestService(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createApp<NestFastifyApplication>((c) => RestServiceModule.forRoot(c), config, {
    ...options,
    httpAdapter: createRestHttpAdapter(config.http),
  });
  await configureRestService(app);
  return app;
}

/** Creates and starts the REST service on the configured port (all interfaces, as before). */
export async function startRestService(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const app = await createRestService(config, options);
  await app.listen(config.port, '0.0.0.0');
  return app;
}
