import { Agent } from './agents/agent.entity';
import { AuditLogEntry } from './audit/audit-log-entry.entity';
import { BlueprintLabel } from './blueprints/blueprint-label.entity';
import { Blueprint } from './blueprints/blueprint.entity';
import { DeploymentGroupLabel } from './deployment-groups/deployment-group-label.entity';
import { DeploymentGroup } from './deployment-groups/deployment-group.entity';
import { DeploymentLabel } from './deployments/deployment-label.entity';
import { DeploymentModification } from './deployments/deployment-modification.entity';
import { Deployment } from './deployments/deployment.entity';
import { InterDeploymentDependency } from './deployments/inter-deployment-dependency.entity';
import { Event } from './events/event.entity';
import { Log } from './events/log.entity';
import { ExecutionGroup } from './executions/execution-group.entity';
import { ExecutionLease } from './executions/execution-lease.entity';
import { MetricPoint } from './metrics/metric-point.entity';
import { MetricRollup } from './metrics/metric-rollup.entity';
import { Execution } from './executions/execution.entity';
import { Operation } from './executions/operation.entity';
import { TasksGraph } from './executions/tasks-graph.entity';
import { BlueprintsFilter } from './filters/blueprints-filter.entity';
import { DeploymentsFilter } from './filters/deployments-filter.entity';
import { ConfigEntry } from './manager/config-entry.entity';
import { MaintenanceMode } from './manager/maintenance-mode.entity';
import { Manager } from './manager/manager.entity';
import { ProviderContext } from './manager/provider-context.entity';
import { NodeInstance } from './nodes/node-instance.entity';
import { Node } from './nodes/node.entity';
import { PluginState } from './plugins/plugin-state.entity';
import { Plugin } from './plugins/plugin.entity';
import { Secret } from './secrets/secret.entity';
import { SecretsProvider } from './secrets/secrets-provider.entity';
import { Site } from './sites/site.entity';
import { Snapshot } from './snapshots/snapshot.entity';
import { Tenant } from './tenants/tenant.entity';
import { GroupTenant } from './users/group-tenant.entity';
import { Group } from './users/group.entity';
import { Permission } from './users/permission.entity';
import { Role } from './users/role.entity';
import { Token } from './users/token.entity';
import { UserTenant } from './users/user-tenant.entity';
import { User } from './users/user.entity';

/** Every entity of the storage model; the data source registers exactly these. */
export const ALL_ENTITIES = [
  Tenant,
  User,
  Role,
  Permission,
  UserTenant,
  Group,
  GroupTenant,
  Token,
  Blueprint,
  BlueprintLabel,
  Deployment,
  DeploymentLabel,
  DeploymentModification,
  InterDeploymentDependency,
  Site,
  Node,
  NodeInstance,
  Execution,
  ExecutionGroup,
  TasksGraph,
  Operation,
  Event,
  Log,
  Plugin,
  PluginState,
  Secret,
  SecretsProvider,
  Agent,
  DeploymentGroup,
  DeploymentGroupLabel,
  BlueprintsFilter,
  DeploymentsFilter,
  ConfigEntry,
  Manager,
  ProviderContext,
  MaintenanceMode,
  Snapshot,
  ExecutionLease,
  MetricPoint,
  MetricRollup,
  AuditLogEntry,
] as const;
