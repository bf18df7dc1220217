import { Module } from '@nestjs/common';
import { BridgeMetrics } from './bridge-metrics';
import { MetricsServer } from './metrics.server';

/** The bridge's Prometheus metrics and their `/metrics` listener. */
@Module({
  providers: [BridgeMetrics, MetricsServer],
  exports: [BridgeMetrics],
})
export class MetricsModule {}
