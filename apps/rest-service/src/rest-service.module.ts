import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { AuthModule } from './auth/auth.module';
import { BlueprintsModule } from './blueprints/blueprints.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { ManagerModule } from './manager/manager.module';
import { NodeInstancesModule } from './node-instances/node-instances.module';
import { NodesModule } from './nodes/nodes.module';
import { SecretsModule } from './secrets/secrets.module';
import { SitesModule } from './sites/sites.module';
import { TenantsModule } from './tenants/tenants.module';

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
        BlueprintsModule,
        SecretsModule,
        TenantsModule,
        EventsModule,
        NodesModule,
        NodeInstancesModule,
      ],
    };
  }
}
