import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { EventsConsumer } from './events.consumer';
import { EventsIngestService } from './events-ingest.service';
import { EventsStoreRepository } from './events-store.repository';

/** Events and logs from RabbitMQ into PostgreSQL (messaging.md §4). */
@Module({
  imports: [MetricsModule],
  providers: [EventsStoreRepository, EventsIngestService, EventsConsumer],
})
export class EventsModule {}
