import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { HttpErrorFilter } from './common/filters/http-error.filter';
import { API_PREFIX, apiVersionMiddleware } from './common/middleware/api-version.middleware';
import { RestServiceModule } from './rest-service.module';

/** Creates the REST service with its global pipes and filter, ready to `listen`. */
export async function createRestService(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => RestServiceModule.forRoot(c), config, options);
  app.use(apiVersionMiddleware);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.useGlobalFilters(new HttpErrorFilter());
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
