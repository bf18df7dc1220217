import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule } from '@nestify/runtime';
import { FiltersModule } from './filters/filters.module';
import { SearchesModule } from './searches/searches.module';
import { DeploymentGroupsModule } from './deployment-groups/deployment-groups.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { ExecutionsModule } from './executions/executions.module';
import { ExecutionGroupsModule } from './execution-groups/execution-groups.module';
import { PluginsModule } from './plugins/plugins.module';
import { AgentsModule } from './agents/agents.module';
import { SummaryModule } from './summary/summary.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { IdentityChangesModule } from './common/identity/identity-changes';
import { BlueprintsModule } from './blueprints/blueprints.module';
import { HttpPlatformModule } from './common/http/http-platform.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { ManagerModule } from './manager/manager.module';
import { MetricsModule } from './metrics/metrics.module';
import { NodeInstancesModule } from './node-instances/node-instances.module';
import { NodesModule } from './nodes/nodes.module';
import { SecretsModule } from './secrets/secrets.module';
import { SitesModule } from './sites/sites.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { TenantsModule } from './tenants/tenants.module';

@Module({})
export class RestServiceModule {
  static forRoot(config: NestifyConfig): DynamicModule {
    return {
      module: RestServiceModule,
      imports: [
        AppCoreModule.forApp('rest-service', config),
        HttpPlatformModule,
        IdentityChangesModule,
        AuthModule,
        HealthModule,
        ManagerModule,
        SitesModule,
        BlueprintsModule,
        SecretsModule,
        TenantsModule,
        EventsModule,
        DeploymentsModule,
        ExecutionsModule,
        PluginsModule,
        AgentsModule,
        SummaryModule,
        MaintenanceModule,
        NodesModule,
        NodeInstancesModule,
        FiltersModule,
        SearchesModule,
        DeploymentGroupsModule,
        ExecutionGroupsModule,
        MetricsModule,
        AuditModule,
        SnapshotsModule,
      ],
    };
  }
}
