import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The bridge's own Prometheus metrics, in a registry of its own (several apps may share a
 * process). Served at `/metrics` by MetricsServer.
 */
@Injectable()
export class BridgeMetrics {
  readonly registry = new Registry();

  readonly consumed = new Counter({
    name: 'nestify_bridge_messages_consumed_total',
    help: 'Messages received from the events and logs queues',
    labelNames: ['queue'],
    registers: [this.registry],
  });

  readonly inserted = new Counter({
    name: 'nestify_bridge_rows_inserted_total',
    help: 'Events and logs written to the database',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly duplicates = new Counter({
    name: 'nestify_bridge_duplicates_total',
    help: 'Events and logs skipped because their message_id was already stored (redeliveries)',
    labelNames: ['type'],
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'nestify_bridge_dead_lettered_total',
    help: 'Messages sent to the dead-letter queue, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  readonly failedBatches = new Counter({
    name: 'nestify_bridge_failed_batches_total',
    help: 'Batches that failed for a passing reason (database unreachable) and were requeued',
    registers: [this.registry],
  });

  readonly batchSeconds = new Histogram({
    name: 'nestify_bridge_batch_seconds',
    help: 'Time to write one batch, from the owner lookup to COMMIT',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly batchRows = new Histogram({
    name: 'nestify_bridge_batch_rows',
    help: 'Rows per batch',
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
    registers: [this.registry],
  });

  readonly purged = new Counter({
    name: 'nestify_bridge_retention_deleted_total',
    help: 'Events and logs deleted by the retention purge',
    labelNames: ['type'],
    registers: [this.registry],
  });
}
