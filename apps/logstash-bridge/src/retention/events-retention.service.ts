import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicJob } from '@nestify/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { EventsRetentionRepository } from './events-retention.repository';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The age-based purge (EVENTS_RETENTION_DAYS, off when 0): every EVENTS_RETENTION_INTERVAL_MS it
 * deletes events and logs stored more than that many days ago, in chunks of
 * EVENTS_RETENTION_CHUNK rows so no transaction holds locks for long.
 */
@Injectable()
export class EventsRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsRetentionService.name);
  private readonly job = new PeriodicJob(
    () => this.purge(),
    (error) => this.logger.warn(`retention purge failed: ${error.message}`),
  );

  constructor(
    private readonly repository: EventsRetentionRepository,
    private readonly metrics: BridgeMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { retentionDays, retentionIntervalMs } = this.config.events;
    if (retentionDays === 0) return;
    this.logger.log(`purging events and logs older than ${retentionDays} days`);
    this.job.start(retentionIntervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** Deletes what is past retention; returns how many rows of each table went. */
  async purge(now = new Date()): Promise<{ events: number; logs: number }> {
    const before = new Date(now.getTime() - this.config.events.retentionDays * DAY_MS);
    const chunk = this.config.events.retentionChunk;
    const deleted = { events: 0, logs: 0 };
    for (const table of ['events', 'logs'] as const) {
      while (!this.job.stopped) {
        const count = await this.repository.deleteChunk(table, before, chunk);
        if (count === null) return deleted;
        deleted[table] += count;
        this.metrics.purged.inc({ type: table }, count);
        if (count < chunk) break;
      }
    }
    if (deleted.events + deleted.logs > 0)
      this.logger.log(`purged ${deleted.events} events and ${deleted.logs} logs`);
    return deleted;
  }
}
