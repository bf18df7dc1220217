import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { EventsRetentionRepository } from './events-retention.repository';
import { EventsRetentionService } from './events-retention.service';

/** The age-based purge of events and logs. */
@Module({
  imports: [MetricsModule],
  providers: [EventsRetentionRepository, EventsRetentionService],
  exports: [EventsRetentionService],
})
export class RetentionModule {}
