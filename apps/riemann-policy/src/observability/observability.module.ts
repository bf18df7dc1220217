import { DynamicModule, Module } from '@nestjs/common';
import { PrometheusModule } from '@nestify/runtime';
import { PolicyMetrics } from './policy-metrics';

/** The app's Prometheus registry, its `/metrics` listener and the policy counters. */
@Module({})
export class ObservabilityModule {
  static forPort(port: number): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [PrometheusModule.forApp('riemann-policy', port)],
      providers: [PolicyMetrics],
      exports: [PolicyMetrics],
    };
  }
}
