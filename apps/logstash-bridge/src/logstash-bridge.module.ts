import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';

/**
 * The events bridge: moves events and logs from RabbitMQ into PostgreSQL in batches.
 * Boots on the shared core (config, logging, migrated database, message bus, heartbeat); its
 * bounded contexts are added by the issues that build them.
 */
@Module({})
export class LogstashBridgeModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: LogstashBridgeModule,
      imports: [AppCoreModule.forApp('logstash-bridge', config)],
    };
  }
}
