import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { ManagerModule } from './manager/manager.module';
import { SitesModule } from './sites/sites.module';

@Module({})
export class RestServiceModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: RestServiceModule,
      imports: [
        AppCoreModule.forApp('rest-service', config),
        AuthModule,
        HealthModule,
        ManagerModule,
        SitesModule,
      ],
    };
  }
}
