import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { EventsModule } from './events/events.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';

/**
 * The events bridge: moves events and logs from RabbitMQ into PostgreSQL in batches, purges them
 * after their retention and reports on itself at `/metrics`.
 */
@Module({})
export class LogstashBridgeModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: LogstashBridgeModule,
      imports: [
        AppCoreModule.forApp('logstash-bridge', config),
        MetricsModule,
        EventsModule,
        RetentionModule,
      ],
    };
  }
}
