import { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { loadConfig, NestifyConfig } from '@nestify/config';
import { createRestHttpAdapter } from '../../apps/rest-service/src/common/http/rest-http';
import {
  configureRestService,
  createRestService,
} from '../../apps/rest-service/src/rest-service.app';
import { RestServiceModule } from '../../apps/rest-service/src/rest-service.module';
import { createTestDatabase, TestDatabase } from './database';
import { createTestVhost, TestVhost } from './rabbitmq';

/** The bootstrap admin's password in every REST suite. */
export const TEST_ADMIN_PASSWORD = 'admin-secret';

export interface RestTestAppOptions {
  /** Environment variables on top of the suite's database and vhost, the admin password and quiet logs. */
  env?: Record<string, string>;
  /** Test-only modules (probe controllers) served beside the REST service's own. */
  imports?: Array<Type<unknown> | DynamicModule>;
  /** A database to use instead of a fresh one; the caller drops it. */
  database?: TestDatabase;
  /** A vhost to use instead of a fresh one; the caller drops it. */
  vhost?: TestVhost;
  /** Runs on the configured app before its routes are registered (e.g. to add Fastify hooks). */
  beforeInit?: (app: NestFastifyApplication) => void;
}

export interface RestTestApp {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>`: the app listens on a free port, over real HTTP. */
  baseUrl: string;
  dataSource: DataSource;
  config: NestifyConfig;
  /** Closes the app, then drops the database and vhost it created. */
  close(): Promise<void>;
}

/**
 * The REST service as production builds it, on its own PostgreSQL database and RabbitMQ vhost,
 * listening on a free port. With `imports`, the same app plus test-only modules (built through
 * @nestjs/testing, without the message transport, which such suites do not use).
 */
export async function startRestTestApp(options: RestTestAppOptions = {}): Promise<RestTestApp> {
  const drops: Array<() => Promise<void>> = [];
  let app: NestFastifyApplication | undefined;
  try {
    const database = options.database ?? (await created(createTestDatabase(), drops));
    const vhost = options.vhost ?? (await created(createTestVhost(), drops));
    const config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      LOG_LEVEL: 'warn',
      ...options.env,
    });
    app = options.imports?.length
      ? await createWithModules(config, options.imports)
      : await createRestService(config);
    options.beforeInit?.(app);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
    const started = app;
    return {
      app: started,
      baseUrl: `http://127.0.0.1:${address.port}`,
      dataSource: started.get(DataSource),
      config,
      close: async () => {
        await started.close();
        await dropAll(drops);
      },
    };
  } catch (error) {
    await app?.close();
    await dropAll(drops);
    throw error;
  }
}

async function created<T extends { drop(): Promise<void> }>(
  creating: Promise<T>,
  drops: Array<() => Promise<void>>,
): Promise<T> {
  const resource = await creating;
  drops.push(() => resource.drop());
  return resource;
}

async function dropAll(drops: Array<() => Promise<void>>): Promise<void> {
  for (const drop of drops.reverse()) await drop();
}

async function createWithModules(
  config: NestifyConfig,
  imports: Array<Type<unknown> | DynamicModule>,
): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [RestServiceModule.forRoot(config), ...imports],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createRestHttpAdapter(config.http),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  await configureRestService(app);
  return app;
}
