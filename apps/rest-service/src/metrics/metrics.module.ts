import { Module } from '@nestjs/common';
import { PrometheusModule } from '@nestify/runtime';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';
import { PrometheusEndpoint } from './prometheus.endpoint';

/**
 * `GET /api/v3.1/metrics` (the metrics store agents fill) and the REST service's own Prometheus
 * `GET /metrics` on its HTTP port (so no listener of its own: port 0).
 */
@Module({
  imports: [PrometheusModule.forApp('rest-service', 0)],
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, PrometheusEndpoint],
})
export class MetricsModule {}
