import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';

/**
 * The management worker: runs workflows and dispatches operation tasks to agents.
 * Boots on the shared core (config, logging, migrated database, message bus, heartbeat); its
 * bounded contexts are added by the issues that build them.
 */
@Module({})
export class MgmtworkerModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: MgmtworkerModule,
      imports: [AppCoreModule.forApp('mgmtworker', config)],
    };
  }
}
