import { Inject, Injectable, Logger } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import type { Metric } from '@nestify/policies';
import { PolicyMetrics } from '../observability/policy-metrics';
import { MetricBatch } from './metric-batch';
import { MetricsStoreRepository } from './metrics-store.repository';

/** Batches metric values into the store, counting what each batch did. */
@Injectable()
export class MetricsStoreWriter {
  private readonly logger = new Logger(MetricsStoreWriter.name);
  private readonly batch: MetricBatch<Metric>;

  constructor(
    private readonly repository: MetricsStoreRepository,
    private readonly metrics: PolicyMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {
    const { batchSize, batchLatencyMs } = config.metricsStore;
    this.batch = new MetricBatch((values) => this.write(values), batchSize, batchLatencyMs);
  }

  add(metric: Metric): Promise<void> {
    return this.batch.add(metric);
  }

  drain(): Promise<void> {
    return this.batch.drain();
  }

  private async write(values: Metric[]): Promise<void> {
    const stop = this.metrics.batchSeconds.startTimer();
    try {
      const result = await this.repository.insertBatch(
        values,
        this.config.metricsStore.rollupSeconds,
      );
      this.metrics.stored.inc({ result: 'inserted' }, result.inserted);
      this.metrics.stored.inc({ result: 'duplicate' }, result.owned - result.inserted);
      this.metrics.stored.inc({ result: 'unowned' }, values.length - result.owned);
    } catch (error) {
      this.logger.warn(`could not store ${values.length} metrics: ${(error as Error).message}`);
      throw error;
    } finally {
      stop();
    }
  }
}
