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
import { PolicyMetrics } from '../observability/policy-metrics';
import { MetricsStoreRepository } from './metrics-store.repository';

const HOUR_MS = 60 * 60 * 1000;
const CHUNK = 10_000;

/**
 * The metrics retention purge: raw values after METRICS_RETENTION_HOURS, rollups after
 * METRICS_ROLLUP_RETENTION_DAYS (either 0: kept), every METRICS_RETENTION_INTERVAL_MS, in chunks
 * so no transaction holds locks for long. Replicas purging at once only repeat harmless deletes.
 */
@Injectable()
export class MetricsRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsRetentionService.name);
  private readonly job = new PeriodicJob(
    () => this.purge(),
    (error) => this.logger.warn(`metrics retention purge failed: ${error.message}`),
  );

  constructor(
    private readonly repository: MetricsStoreRepository,
    private readonly metrics: PolicyMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { retentionHours, rollupRetentionDays, retentionIntervalMs } = this.config.metricsStore;
    if (retentionHours === 0 && rollupRetentionDays === 0) return;
    this.job.start(retentionIntervalMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.job.stop();
  }

  /** Deletes what is past retention; returns the rows deleted from each table. */
  async purge(now = Date.now()): Promise<{ metrics: number; rollups: number }> {
    const { retentionHours, rollupRetentionDays } = this.config.metricsStore;
    const deleted = { metrics: 0, rollups: 0 };
    if (retentionHours > 0)
      deleted.metrics = await this.purgeTable('metrics', new Date(now - retentionHours * HOUR_MS));
    if (rollupRetentionDays > 0)
      deleted.rollups = await this.purgeTable(
        'metric_rollups',
        new Date(now - rollupRetentionDays * 24 * HOUR_MS),
      );
    return deleted;
  }

  private async purgeTable(table: 'metrics' | 'metric_rollups', before: Date): Promise<number> {
    let total = 0;
    while (!this.job.stopped) {
      const count = await this.repository.deleteChunk(table, before, CHUNK);
      total += count;
      this.metrics.purged.inc({ table }, count);
      if (count < CHUNK) break;
    }
    return total;
  }
}
