import { INestApplication, RequestMethod, ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { rawArchiveBodyMiddleware } from './blueprints/raw-archive-body.middleware';
import { HttpErrorFilter } from './common/filters/http-error.filter';
import { API_PREFIX, apiVersionMiddleware } from './common/middleware/api-version.middleware';
import { setupOpenApi } from './openapi/openapi';
import { RestServiceModule } from './rest-service.module';

/** Largest JSON request body. */
const JSON_BODY_LIMIT = '50mb';

/** Creates the REST service with its global pipes and filter, ready to `listen`. */
export async function createRestService(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => RestServiceModule.forRoot(c), config, options);
  app.use(apiVersionMiddleware);
  app.use(rawArchiveBodyMiddleware); // before the body parsers, which start with the app
  // The workflow engine posts thousands of node instances or events at once (Express: 100 KB).
  (app as NestExpressApplication).useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // The file server lives at /resources/…, beside the API, as Cloudify's nginx serves it.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [{ path: 'resources/*path', method: RequestMethod.GET }],
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.useGlobalFilters(new HttpErrorFilter());
  await setupOpenApi(app); // after the global prefix: /api/docs, /api/docs-json
  return app;
}

/** Creates and starts the REST service on the configured port. */
export async function startRestService(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createRestService(config, options);
  await app.listen(config.port);
  return app;
}
