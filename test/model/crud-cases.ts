import { randomUUID } from 'node:crypto';
import { EntityTarget, ObjectLiteral } from 'typeorm';
import {
  Agent,
  AgentState,
  AuditLogEntry,
  Blueprint,
  BlueprintLabel,
  BlueprintsFilter,
  ConfigEntry,
  Deployment,
  DeploymentGroup,
  DeploymentGroupLabel,
  DeploymentLabel,
  DeploymentModification,
  DeploymentModificationStatus,
  DeploymentsFilter,
  DeploymentStatus,
  Event,
  Execution,
  ExecutionGroup,
  ExecutionLease,
  ExecutionStatus,
  Group,
  GroupTenant,
  InstallationStatus,
  InterDeploymentDependency,
  Log,
  MaintenanceMode,
  MaintenanceModeStatus,
  Manager,
  MetricPoint,
  MetricRollup,
  Node,
  NodeInstance,
  Operation,
  Permission,
  Plugin,
  PluginState,
  ProviderContext,
  Role,
  RoleType,
  Secret,
  SecretsProvider,
  Site,
  Snapshot,
  SnapshotStatus,
  TasksGraph,
  Tenant,
  Token,
  User,
  UserTenant,
} from '@nestify/model';
import { DEFAULT_SCOPE, Fixtures, owned, uniqueId } from './fixtures';

/** How to create a valid row of an entity, and a change to apply to it. */
export interface CrudCase {
  entity: EntityTarget<ObjectLiteral> & { name: string };
  create(f: Fixtures): Promise<ObjectLiteral>;
  change(f: Fixtures): Promise<ObjectLiteral> | ObjectLiteral;
}

async function roleId(f: Fixtures, name: string): Promise<number> {
  return (await f.em.getRepository(Role).findOneByOrFail({ name })).id;
}

const filterRules = [{ key: 'env', values: ['prod'], operator: 'any_of', type: 'label' }];

export const CRUD_CASES: CrudCase[] = [
  {
    entity: Tenant,
    create: (f) => f.tenant(),
    change: () => ({ rabbitmqVhost: 'rabbitmq_vhost_x' }),
  },
  {
    entity: User,
    create: (f) => f.user(),
    change: () => ({
      email: 'someone@example.com',
      failedLoginsCounter: 2,
      lastLoginAt: new Date(),
    }),
  },
  {
    entity: Role,
    create: (f) => f.save(Role, { name: uniqueId('role'), type: RoleType.TenantRole }),
    change: () => ({ description: 'custom role' }),
  },
  {
    entity: Permission,
    create: async (f) =>
      f.save(Permission, { roleId: await roleId(f, 'viewer'), name: uniqueId('perm') }),
    change: () => ({ name: uniqueId('perm') }),
  },
  {
    entity: UserTenant,
    create: async (f) => {
      const [user, tenant] = [await f.user(), await f.tenant()];
      return f.save(UserTenant, {
        userId: user.id,
        tenantId: tenant.id,
        roleId: await roleId(f, 'viewer'),
      });
    },
    change: async (f) => ({ roleId: await roleId(f, 'manager') }),
  },
  {
    entity: Group,
    create: (f) => f.save(Group, { name: uniqueId('group') }),
    change: () => ({ ldapDn: `cn=${uniqueId('ldap')}` }),
  },
  {
    entity: GroupTenant,
    create: async (f) => {
      const group = await f.save(Group, { name: uniqueId('group') });
      const tenant = await f.tenant();
      return f.save(GroupTenant, {
        groupId: group.id,
        tenantId: tenant.id,
        roleId: await roleId(f, 'user'),
      });
    },
    change: async (f) => ({ roleId: await roleId(f, 'operations') }),
  },
  {
    entity: Token,
    create: (f) =>
      f.save(Token, {
        id: randomUUID().slice(0, 10),
        secretHash: 'hash',
        userFk: 0,
        expirationDate: new Date(),
      }),
    change: () => ({ description: 'for CI', lastUsed: new Date() }),
  },
  {
    entity: Blueprint,
    create: (f) => f.blueprint(),
    change: () => ({ state: 'invalid', error: 'Invalid blueprint', plan: null, isHidden: true }),
  },
  {
    entity: BlueprintLabel,
    create: async (f) => {
      const blueprint = await f.blueprint();
      return f.save(BlueprintLabel, {
        ...owned(),
        key: 'env',
        value: 'prod',
        labeledModelFk: blueprint.storageId,
      });
    },
    change: () => ({ value: 'dev' }),
  },
  {
    entity: Deployment,
    create: (f) => f.deployment(),
    change: () => ({
      displayName: 'renamed',
      deploymentStatus: DeploymentStatus.Good,
      installationStatus: InstallationStatus.Active,
      outputs: { ip: { value: { get_attribute: ['vm', 'ip'] } } },
      subServicesCount: 2,
    }),
  },
  {
    entity: DeploymentLabel,
    create: async (f) => {
      const deployment = await f.deployment();
      return f.save(DeploymentLabel, {
        ...owned(),
        key: 'csys-obj-type',
        value: 'service',
        labeledModelFk: deployment.storageId,
      });
    },
    change: () => ({ value: 'environment' }),
  },
  {
    entity: DeploymentModification,
    create: async (f) => {
      const deployment = await f.deployment();
      return f.save(DeploymentModification, {
        ...owned(),
        id: randomUUID(),
        deploymentFk: deployment.storageId,
        modifiedNodes: { vm: { instances: 2 } },
      });
    },
    change: () => ({ status: DeploymentModificationStatus.Finished, endedAt: new Date() }),
  },
  {
    entity: InterDeploymentDependency,
    create: async (f) => {
      const [source, target] = [await f.deployment(), await f.deployment()];
      return f.save(InterDeploymentDependency, {
        ...owned(),
        id: randomUUID(),
        dependencyCreator: 'component.app',
        sourceDeploymentFk: source.storageId,
        targetDeploymentFk: target.storageId,
      });
    },
    change: () => ({ externalTarget: { deployment: 'remote', tenant: 'default_tenant' } }),
  },
  { entity: Site, create: (f) => f.site(), change: () => ({ latitude: -12.5, longitude: 101.25 }) },
  {
    entity: Node,
    create: (f) => f.node(),
    change: () => ({ numberOfInstances: 3, properties: { port: 80 } }),
  },
  {
    entity: NodeInstance,
    create: (f) => f.nodeInstance(),
    change: () => ({
      state: 'started',
      runtimeProperties: { ip: '10.0.0.5' },
      isStatusCheckOk: true,
    }),
  },
  {
    entity: Execution,
    create: (f) => f.execution(),
    change: () => ({
      status: ExecutionStatus.Terminated,
      endedAt: new Date(),
      error: '',
      finishedOperations: 4,
    }),
  },
  {
    entity: ExecutionLease,
    create: async (f) =>
      f.em.getRepository(ExecutionLease).save({
        executionFk: (await f.execution()).storageId,
        owner: 'worker-1',
        expiresAt: new Date(Date.now() + 15000),
      }),
    change: () => ({ owner: 'worker-2', expiresAt: new Date(Date.now() + 30000) }),
  },
  {
    entity: ExecutionGroup,
    create: (f) => f.executionGroup(),
    change: () => ({ concurrency: 10 }),
  },
  { entity: TasksGraph, create: (f) => f.tasksGraph(), change: () => ({ name: 'uninstall' }) },
  {
    entity: Operation,
    create: (f) => f.operation(),
    change: () => ({ state: 'succeeded', managerName: 'manager-1', dependencies: [] }),
  },
  {
    entity: Event,
    create: (f) => f.event(),
    change: () => ({ message: 'edited', errorCauses: [{ message: 'x' }] }),
  },
  { entity: Log, create: (f) => f.log(), change: () => ({ level: 'error', message: 'edited' }) },
  {
    entity: Plugin,
    create: (f) => f.plugin(),
    change: () => ({ title: 'Mock plugin', supportedPyVersions: ['py3'] }),
  },
  {
    entity: PluginState,
    create: async (f) => {
      const [plugin, manager] = [await f.plugin(), await f.manager()];
      return f.save(PluginState, {
        pluginFk: plugin.storageId,
        managerFk: manager.id,
        state: 'installing',
      });
    },
    change: () => ({ state: 'error', error: 'pip failed' }),
  },
  {
    entity: Secret,
    create: (f) => f.save(Secret, { ...owned(), id: uniqueId('secret'), value: 'ciphertext' }),
    change: () => ({ value: 'ciphertext-2', isHiddenValue: true, updatedAt: new Date() }),
  },
  {
    entity: SecretsProvider,
    create: (f) => f.secretsProvider(),
    change: () => ({ connectionParameters: { url: 'https://vault.example.com' } }),
  },
  {
    entity: Agent,
    create: (f) => f.agent(),
    change: () => ({ state: AgentState.Started, ip: '10.0.0.2' }),
  },
  {
    entity: DeploymentGroup,
    create: (f) => f.deploymentGroup(),
    change: () => ({ creationCounter: 3, defaultInputs: { size: 'small' } }),
  },
  {
    entity: DeploymentGroupLabel,
    create: async (f) => {
      const group = await f.deploymentGroup();
      return f.save(DeploymentGroupLabel, {
        ...owned(),
        key: 'team',
        value: 'a',
        labeledModelFk: group.storageId,
      });
    },
    change: () => ({ value: 'b' }),
  },
  {
    entity: BlueprintsFilter,
    create: (f) =>
      f.save(BlueprintsFilter, { ...owned(), id: uniqueId('filter'), value: filterRules }),
    change: () => ({ isSystemFilter: true, value: [] }),
  },
  {
    entity: DeploymentsFilter,
    create: (f) =>
      f.save(DeploymentsFilter, { ...owned(), id: uniqueId('filter'), value: filterRules }),
    change: () => ({ isSystemFilter: true, updatedAt: new Date() }),
  },
  {
    entity: ConfigEntry,
    create: (f) => f.save(ConfigEntry, { name: uniqueId('setting'), scope: 'rest', value: 1000 }),
    change: () => ({ value: { nested: [1, 2] }, updaterId: 0, isEditable: false }),
  },
  {
    entity: Manager,
    create: (f) => f.manager(),
    change: () => ({ lastSeen: new Date(), caCertContent: 'PEM' }),
  },
  {
    entity: ProviderContext,
    create: (f) =>
      f.save(ProviderContext, {
        id: uniqueId('CONTEXT'),
        name: 'provider',
        context: { cloudify: {} },
      }),
    change: () => ({ context: { cloudify: { import_resolver: { rules: [] } } } }),
  },
  {
    entity: MaintenanceMode,
    create: (f) =>
      f.save(MaintenanceMode, { status: MaintenanceModeStatus.Activating, requestedById: 0 }),
    change: () => ({ status: MaintenanceModeStatus.Activated, activatedAt: new Date() }),
  },
  {
    entity: Snapshot,
    create: (f) =>
      f.save(Snapshot, { ...owned(), id: uniqueId('snap'), status: SnapshotStatus.Creating }),
    change: () => ({ status: SnapshotStatus.Created }),
  },
  {
    entity: MetricPoint,
    create: (f) =>
      f.save(MetricPoint, {
        tenantId: DEFAULT_SCOPE.tenantId,
        deploymentId: uniqueId('dep'),
        nodeName: 'vm',
        nodeInstanceId: 'vm_1',
        metric: 'cpu.total.user',
        value: 12.5,
        time: new Date(),
      }),
    change: () => ({ value: 50, ttl: 60 }),
  },
  {
    entity: MetricRollup,
    create: (f) =>
      f.save(MetricRollup, {
        tenantId: DEFAULT_SCOPE.tenantId,
        deploymentId: uniqueId('dep'),
        nodeInstanceId: 'vm_1',
        metric: 'cpu.total.user',
        resolution: 60,
        bucket: new Date(Date.UTC(2026, 0, 1)),
        nodeName: 'vm',
        count: 1,
        sum: 3,
        min: 3,
        max: 3,
      }),
    change: () => ({ count: 2, sum: 7, max: 4 }),
  },
  {
    entity: AuditLogEntry,
    create: (f) =>
      f.save(AuditLogEntry, {
        createdAt: new Date(),
        username: 'admin',
        tenantName: 'default_tenant',
        method: 'PUT',
        path: '/api/v3.1/sites/s1',
        status: 200,
        requestId: uniqueId('req'),
        ip: '127.0.0.1',
      }),
    change: () => ({ status: 500 }),
  },
];
