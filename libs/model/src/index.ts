// Entities
export * from './tenants/tenant.entity';
export * from './users/user.entity';
export * from './users/role.entity';
export * from './users/permission.entity';
export * from './users/user-tenant.entity';
export * from './users/group.entity';
export * from './users/group-tenant.entity';
export * from './users/token.entity';
export * from './blueprints/blueprint.entity';
export * from './blueprints/blueprint-label.entity';
export * from './deployments/deployment.entity';
export * from './deployments/deployment-label.entity';
export * from './deployments/deployment-modification.entity';
export * from './deployments/inter-deployment-dependency.entity';
export * from './deployment-groups/deployment-group.entity';
export * from './deployment-groups/deployment-group-label.entity';
export * from './sites/site.entity';
export * from './nodes/node.entity';
export * from './nodes/node-instance.entity';
export * from './executions/execution.entity';
export * from './executions/execution-group.entity';
export * from './executions/tasks-graph.entity';
export * from './executions/operation.entity';
export * from './executions/execution-lease.entity';
export * from './events/event.entity';
export * from './events/log.entity';
export * from './plugins/plugin.entity';
export * from './plugins/plugin-state.entity';
export * from './secrets/secret.entity';
export * from './secrets/secrets-provider.entity';
export * from './agents/agent.entity';
export * from './filters/blueprints-filter.entity';
export * from './filters/deployments-filter.entity';
export * from './manager/config-entry.entity';
export * from './manager/manager.entity';
export * from './manager/provider-context.entity';
export * from './manager/maintenance-mode.entity';
export * from './snapshots/snapshot.entity';
export * from './metrics/metric-point.entity';
export * from './metrics/metric-rollup.entity';
export * from './audit/audit-log-entry.entity';
export {
  TenantScopedBase,
  StoredBase,
  TenantResourceBase,
  LabelBase,
} from './common/resource.base';
export { ExecutionOutputBase } from './events/execution-output.base';
export type { JsonObject } from './common/json';
export { ALL_ENTITIES } from './entities';
export { copyTextRows } from './database/copy-text';
export { isDatabaseUnavailable } from './database/database-errors';
export { copyRows, textArrayLiteral } from './database/copy-rows';
export { insertOperations } from './executions/operation-rows';
export type { NewOperation, OperationOwner } from './executions/operation-rows';

// States and other vocabularies
export * from './executions/execution-status';
export * from './executions/operation-state';
export * from './blueprints/blueprint-state';
export * from './nodes/node-instance-state';
export * from './deployments/deployment-status';
export * from './deployments/modification-status';
export * from './agents/agent-state';
export * from './snapshots/snapshot-status';
export * from './manager/maintenance-status';
export * from './users/roles';

// Rules every repository must share
export * from './nodes/node-instance-version';

// Connection, migrations, seed
export { buildDataSourceOptions, MIGRATIONS_TABLE } from './database/data-source-options';
export { openDatabase } from './database/open-database';
export type { DatabaseHandle, OpenDatabaseOptions } from './database/open-database';
export { DatabaseModule } from './database/database.module';
export { DatabaseHealthService } from './database/database-health.service';
export type { DatabaseHealth } from './database/database-health.service';
export { STARTUP_ADVISORY_LOCK_KEY } from './database/startup-lock';
export { ALL_MIGRATIONS } from './migrations';
export * from './seed/bootstrap.constants';
export { seedBootstrap } from './seed/bootstrap-seed';
export type { BootstrapSeedOptions, BootstrapSeedResult } from './seed/bootstrap-seed';
