import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { NestifyConfig } from '@nestify/config';
import {
  MESSAGE_BUS,
  MessageBus,
  NestifyTransportServer,
  QueueSubscription,
} from '@nestify/messaging';

export interface AppOptions {
  /** Queues this app consumes through the Nest transport. */
  consumes?: QueueSubscription[];
  /**
   * Let Nest close the app on SIGTERM/SIGINT by itself. Off by default: runMain owns the signals
   * and closes every app of the process in order, so the embedded database stops once, cleanly.
   */
  shutdownHooks?: boolean;
  /**
   * The HTTP platform, configured by the app (the REST service sets body limits, URL rewriting…).
   * Default: a plain Fastify adapter, which worker apps never listen on.
   */
  httpAdapter?: AbstractHttpAdapter;
}

/** Builds an app module for a configuration: `(config) => AppModule.forRoot(config)`. */
export type AppModuleFactory = (config: NestifyConfig) => Type<unknown> | DynamicModule;

/**
 * Creates an app, attaches our AMQP transport for the queues it consumes and starts it. HTTP apps
 * then `listen`; worker apps only `init` — they serve nothing but messages.
 */
export async function createApp<T extends INestApplication = INestApplication>(
  moduleFactory: AppModuleFactory,
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<T> {
  const adapter = options.httpAdapter ?? new FastifyAdapter();
  const app = await NestFactory.create<T>(moduleFactory(config), adapter, {
    bufferLogs: true,
    // Throw start-up errors to the caller (runMain prints one line) instead of exiting here.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (options.shutdownHooks ?? false) app.enableShutdownHooks();
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  // Not inheriting the HTTP app's global filters: they shape HTTP bodies, messages have their own.
  app.connectMicroservice({ strategy: new NestifyTransportServer(bus, options.consumes ?? []) });
  await app.startAllMicroservices();
  return app;
}
