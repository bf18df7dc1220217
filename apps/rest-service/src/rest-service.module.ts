import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { HealthModule } from './health/health.module';
import { ManagerModule } from './manager/manager.module';

@Module({})
export class RestServiceModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: RestServiceModule,
      imports: [AppCoreModule.forApp('rest-service', config), HealthModule, ManagerModule],
    };
  }
}
