import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import {
  Consumer,
  IncomingMessage,
  MESSAGE_BUS,
  MessageBus,
  QUEUES,
  RejectMessageError,
  RetryMessageError,
} from '@nestify/messaging';
import { Metric, MetricFormatError, parseMetrics } from '@nestify/policies';
import { PolicyMetrics } from '../observability/policy-metrics';
import { MetricsStoreWriter } from './metrics-store.writer';

/**
 * Consumes `metrics-store` straight from the bus: each message stays unacknowledged until the
 * batch holding its value committed, and the prefetch (twice a batch) bounds what waits.
 */
@Injectable()
export class MetricsStoreConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsStoreConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly writer: MetricsStoreWriter,
    private readonly metrics: PolicyMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefetch = Math.min(65535, this.config.metricsStore.batchSize * 2);
    this.consumer = await this.bus.consume(QUEUES.metricsStore, this.handle, { prefetch });
    this.logger.log(`storing metrics from ${QUEUES.metricsStore}`);
  }

  /** Commits and acks what was received before letting go of the queue (redelivery is harmless). */
  async onModuleDestroy(): Promise<void> {
    await this.writer.drain();
    await this.consumer?.cancel();
    this.consumer = undefined;
  }

  private readonly handle = async (message: IncomingMessage): Promise<void> => {
    this.metrics.received.inc({ queue: QUEUES.metricsStore });
    let metrics: Metric[];
    try {
      metrics = parseMetrics(message.body, message.routingKey);
    } catch (error) {
      if (!(error instanceof MetricFormatError)) throw error;
      this.metrics.rejected.inc({ reason: 'invalid_metric' });
      throw new RejectMessageError('invalid_metric', error.message);
    }
    try {
      await Promise.all(metrics.map((metric) => this.writer.add(metric)));
    } catch (error) {
      throw new RetryMessageError(`metrics batch failed: ${(error as Error).message}`);
    }
  };
}
