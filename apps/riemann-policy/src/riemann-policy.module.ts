import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';

/**
 * The policy engine: evaluates deployment policies on metrics and fires their triggers.
 * Boots on the shared core (config, logging, migrated database, message bus, heartbeat); its
 * bounded contexts are added by the issues that build them.
 */
@Module({})
export class RiemannPolicyModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: RiemannPolicyModule,
      imports: [AppCoreModule.forApp('riemann-policy', config)],
    };
  }
}
