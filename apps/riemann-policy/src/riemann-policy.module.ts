import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { MetricsStoreModule } from './metrics-store/metrics-store.module';
import { ObservabilityModule } from './observability/observability.module';
import { PoliciesModule } from './policies/policies.module';

/**
 * The policy engine (Cloudify 4's Riemann role) and the metrics store (its InfluxDB role):
 * consumes `cloudify-monitoring`, evaluates deployment policies, fires their triggers, keeps
 * metrics in PostgreSQL and reports on itself at `/metrics`. `extensions` are Nest modules that
 * provide custom policy types and triggers (`@PolicyTypeExtension()`, `@PolicyTrigger()`).
 */
@Module({})
export class RiemannPolicyModule {
  static forRoot(
    config: NestifyConfig,
    extensions: Array<Type | DynamicModule> = [],
  ): DynamicModule {
    return {
      module: RiemannPolicyModule,
      imports: [
        AppCoreModule.forApp('riemann-policy', config),
        ObservabilityModule.forPort(config.policies.metricsPort),
        MetricsStoreModule,
        PoliciesModule,
        ...extensions,
      ],
    };
  }
}
