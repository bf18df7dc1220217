import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { createMessageBus } from './bus/create-message-bus';
import { MESSAGE_BUS, MessageBus } from './bus/message-bus';
import { HeartbeatMonitor } from './heartbeat/heartbeat.monitor';
import { HeartbeatPublisher } from './heartbeat/heartbeat.publisher';
import { MessagingHealthService } from './messaging-health.service';
import { NestifyClientProxy } from './transport/nestify.client';

export interface MessagingModuleOptions {
  /** Announce this app on the heartbeat exchange. */
  heartbeat?: { app: string };
  /** Listen to every app's heartbeats (the rest-service does, for GET /status). */
  watchHeartbeats?: boolean;
}

/**
 * The message bus for a Nest app: MESSAGE_BUS (RabbitMQ when AMQP_URL is set, else the
 * in-process broker) with the core topology declared, a ClientProxy over it, health, and
 * heartbeats. Needs NESTIFY_CONFIG. The bus closes when the app shuts down.
 */
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  static forRoot(options: MessagingModuleOptions = {}): DynamicModule {
    const app = options.heartbeat?.app;
    const providers = [
      {
        provide: MESSAGE_BUS,
        inject: [NESTIFY_CONFIG],
        useFactory: (config: NestifyConfig) =>
          createMessageBus(config.messaging, {
            logger: new Logger('MessageBus'),
            connectionName: `nestify ${app ?? 'client'} (pid ${process.pid})`,
          }),
      },
      {
        provide: NestifyClientProxy,
        inject: [MESSAGE_BUS],
        useFactory: (bus: MessageBus) => new NestifyClientProxy(bus),
      },
      {
        provide: HeartbeatMonitor,
        inject: [MESSAGE_BUS],
        useFactory: (bus: MessageBus) =>
          new HeartbeatMonitor(bus, options.watchHeartbeats ?? false),
      },
      MessagingHealthService,
    ];
    if (app) {
      providers.push({
        provide: HeartbeatPublisher,
        inject: [MESSAGE_BUS, NESTIFY_CONFIG],
        useFactory: (bus: MessageBus, config: NestifyConfig) =>
          new HeartbeatPublisher(bus, app, config.messaging.heartbeatIntervalMs),
      } as never);
    }
    return {
      module: MessagingModule,
      // Infrastructure every context of an app uses: imported once by the app core.
      global: true,
      providers,
      exports: [MESSAGE_BUS, NestifyClientProxy, HeartbeatMonitor, MessagingHealthService],
    };
  }

  /** Runs after every provider's own shutdown hook has had its turn with the bus. */
  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
