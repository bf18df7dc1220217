import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { NestifyConfig } from '@nestify/config';
import { MESSAGE_BUS, MessageBus, NestifyTransportServer } from '@nestify/messaging';

export interface QueueSubscription {
  queue: string;
  prefetch?: number;
}

export interface AppOptions {
  /** Queues this app consumes through the Nest transport. */
  consumes?: QueueSubscription[];
  /**
   * Close on SIGTERM/SIGINT by itself (default). The single-process launcher turns this off and
   * closes all apps in order, so the embedded database is shut down once and cleanly.
   */
  shutdownHooks?: boolean;
}

/** Builds an app module for a configuration: `(config) => AppModule.forRoot(config)`. */
export type AppModuleFactory = (config: NestifyConfig) => Type<unknown> | DynamicModule;

/**
 * Creates an app, attaches our AMQP transport for the queues it consumes and starts it. HTTP apps
 * then `listen`; worker apps only `init` — they serve nothing but messages.
 */
export async function createApp(
  moduleFactory: AppModuleFactory,
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(moduleFactory(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  // Not inheriting the HTTP app's global filters: they shape HTTP bodies, messages have their own.
  app.connectMicroservice({ strategy: new NestifyTransportServer(bus, options.consumes ?? []) });
  await app.startAllMicroservices();
  return app;
}
