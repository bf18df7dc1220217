import { Module } from '@nestjs/common';
import { MetricsRetentionService } from './metrics-retention.service';
import { MetricsStoreConsumer } from './metrics-store.consumer';
import { MetricsStoreRepository } from './metrics-store.repository';
import { MetricsStoreWriter } from './metrics-store.writer';

/** The metrics store (Cloudify 4's InfluxDB role): values and rollups in PostgreSQL, with retention. */
@Module({
  providers: [
    MetricsStoreRepository,
    MetricsStoreWriter,
    MetricsStoreConsumer,
    MetricsRetentionService,
  ],
  exports: [MetricsStoreRepository],
})
export class MetricsStoreModule {}
