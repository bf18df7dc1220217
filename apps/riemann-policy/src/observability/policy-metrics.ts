import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { AppMetricsRegistry } from '@nestify/runtime';

/** The policy engine's and metrics store's own Prometheus metrics, served at `/metrics`. */
@Injectable()
export class PolicyMetrics {
  readonly received: Counter<'queue'>;
  readonly rejected: Counter<'reason'>;
  readonly evaluated: Counter;
  readonly firings: Counter<'decision'>;
  readonly deployments: Gauge;
  readonly policies: Gauge;
  readonly stored: Counter<'result'>;
  readonly batchSeconds: Histogram;
  readonly purged: Counter<'table'>;

  constructor(app: AppMetricsRegistry) {
    const registers = [app.registry];
    this.received = new Counter({
      name: 'nestify_policy_metrics_received_total',
      help: 'Metric messages received, by queue',
      labelNames: ['queue'],
      registers,
    });
    this.rejected = new Counter({
      name: 'nestify_policy_metrics_rejected_total',
      help: 'Metric messages dead-lettered, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.evaluated = new Counter({
      name: 'nestify_policy_metrics_evaluated_total',
      help: 'Metrics evaluated against at least one policy',
      registers,
    });
    this.firings = new Counter({
      name: 'nestify_policy_firings_total',
      help: 'Policies that went into their triggering state, by what the restraints decided',
      labelNames: ['decision'],
      registers,
    });
    this.deployments = new Gauge({
      name: 'nestify_policy_deployments',
      help: 'Deployments whose policies are loaded',
      registers,
    });
    this.policies = new Gauge({
      name: 'nestify_policy_policies',
      help: 'Monitoring policies loaded',
      registers,
    });
    this.stored = new Counter({
      name: 'nestify_metrics_store_values_total',
      help: 'Metric values handled by the store: inserted, duplicate (redelivered) or unowned',
      labelNames: ['result'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'nestify_metrics_store_batch_seconds',
      help: 'Time to write one batch of metrics and their rollups',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.purged = new Counter({
      name: 'nestify_metrics_store_purged_total',
      help: 'Rows deleted by the metrics retention purge',
      labelNames: ['table'],
      registers,
    });
  }
}
