import { randomUUID } from 'node:crypto';
import { DeepPartial, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Visibility } from '@nestify/common';
import {
  Agent,
  Blueprint,
  BOOTSTRAP_ADMIN_ID,
  DEFAULT_TENANT_ID,
  Deployment,
  DeploymentGroup,
  Event,
  Execution,
  ExecutionGroup,
  Log,
  Manager,
  Node,
  NodeInstance,
  Operation,
  Plugin,
  SecretsProvider,
  Site,
  TasksGraph,
  Tenant,
  User,
} from '@nestify/model';

/** Where a fixture lives: its tenant (the creator is always the bootstrap admin). */
export interface Scope {
  tenantId: number;
}

export const DEFAULT_SCOPE: Scope = { tenantId: DEFAULT_TENANT_ID };

let counter = 0;
/** A short id nobody else in this run uses. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

/** The columns of every tenant-scoped row. */
export function owned(scope: Scope = DEFAULT_SCOPE) {
  return { tenantId: scope.tenantId, creatorId: BOOTSTRAP_ADMIN_ID, visibility: Visibility.Tenant };
}

/** Builders of valid rows with their parents, saved through TypeORM repositories. */
export class Fixtures {
  constructor(readonly em: EntityManager) {}

  save<T extends ObjectLiteral>(target: EntityTarget<T>, values: DeepPartial<T>): Promise<T> {
    const repository = this.em.getRepository(target);
    return repository.save(repository.create(values));
  }

  tenant(): Promise<Tenant> {
    return this.save(Tenant, { name: uniqueId('tenant') });
  }

  user(): Promise<User> {
    return this.save(User, { username: uniqueId('user'), password: 'x' });
  }

  blueprint(scope = DEFAULT_SCOPE, id = uniqueId('bp')): Promise<Blueprint> {
    return this.save(Blueprint, { ...owned(scope), id, state: 'uploaded', plan: { nodes: [] } });
  }

  site(scope = DEFAULT_SCOPE, name = uniqueId('site')): Promise<Site> {
    return this.save(Site, { ...owned(scope), id: name, name, latitude: 32.1, longitude: 34.8 });
  }

  async deployment(scope = DEFAULT_SCOPE, id = uniqueId('dep')): Promise<Deployment> {
    const blueprint = await this.blueprint(scope);
    return this.save(Deployment, {
      ...owned(scope),
      id,
      displayName: id,
      blueprintFk: blueprint.storageId,
      inputs: { port: 8080 },
      workflows: { install: { operation: 'cloudify.plugins.workflows.install' } },
    });
  }

  async node(deployment?: Deployment, id = uniqueId('node')): Promise<Node> {
    const parent = deployment ?? (await this.deployment());
    return this.save(Node, {
      ...owned({ tenantId: parent.tenantId }),
      id,
      type: 'cloudify.nodes.Root',
      typeHierarchy: ['cloudify.nodes.Root'],
      properties: {},
      deploymentFk: parent.storageId,
    });
  }

  async nodeInstance(node?: Node, id?: string, scope?: Scope): Promise<NodeInstance> {
    const parent = node ?? (await this.node());
    return this.save(NodeInstance, {
      ...owned(scope ?? { tenantId: parent.tenantId }),
      id: id ?? `${parent.id}_${randomUUID().slice(0, 6)}`,
      state: 'uninitialized',
      runtimeProperties: {},
      nodeFk: parent.storageId,
    });
  }

  async execution(
    deployment?: Deployment | null,
    scope?: Scope,
    id: string = randomUUID(),
  ): Promise<Execution> {
    const parent = deployment === undefined ? await this.deployment(scope) : deployment;
    return this.save(Execution, {
      ...owned(scope ?? { tenantId: parent?.tenantId ?? DEFAULT_TENANT_ID }),
      id,
      workflowId: 'install',
      parameters: {},
      deploymentFk: parent?.storageId ?? null,
      blueprintId: null,
    });
  }

  deploymentGroup(scope = DEFAULT_SCOPE, id = uniqueId('group')): Promise<DeploymentGroup> {
    return this.save(DeploymentGroup, { ...owned(scope), id, description: 'a group' });
  }

  executionGroup(scope = DEFAULT_SCOPE, id: string = randomUUID()): Promise<ExecutionGroup> {
    return this.save(ExecutionGroup, { ...owned(scope), id, workflowId: 'install' });
  }

  async tasksGraph(execution?: Execution): Promise<TasksGraph> {
    const parent = execution ?? (await this.execution());
    return this.save(TasksGraph, {
      ...owned({ tenantId: parent.tenantId }),
      id: randomUUID(),
      name: 'install',
      executionFk: parent.storageId,
    });
  }

  async operation(graph?: TasksGraph): Promise<Operation> {
    const parent = graph ?? (await this.tasksGraph());
    return this.save(Operation, {
      ...owned({ tenantId: parent.tenantId }),
      id: randomUUID(),
      name: 'cloudify.interfaces.lifecycle.create',
      state: 'pending',
      type: 'RemoteWorkflowTask',
      dependencies: [randomUUID()],
      parameters: { task_kwargs: {} },
      tasksGraphFk: parent.storageId,
    });
  }

  async event(execution?: Execution): Promise<Event> {
    const parent = execution ?? (await this.execution());
    return this.save(Event, {
      ...owned({ tenantId: parent.tenantId }),
      reportedTimestamp: new Date(),
      message: "Starting 'install' workflow execution",
      eventType: 'workflow_started',
      messageId: randomUUID(),
      executionFk: parent.storageId,
    });
  }

  async log(execution?: Execution): Promise<Log> {
    const parent = execution ?? (await this.execution());
    return this.save(Log, {
      ...owned({ tenantId: parent.tenantId }),
      reportedTimestamp: new Date(),
      message: 'hello',
      logger: 'ctx',
      level: 'info',
      executionFk: parent.storageId,
    });
  }

  plugin(scope = DEFAULT_SCOPE, id: string = randomUUID()): Promise<Plugin> {
    return this.save(Plugin, {
      ...owned(scope),
      id,
      packageName: uniqueId('cloudify-mock-plugin'),
      packageVersion: '1.0',
      archiveName: 'mock.wgn',
      wheels: ['mock-1.0-py3-none-any.whl'],
    });
  }

  async agent(scope?: Scope, id = uniqueId('agent')): Promise<Agent> {
    const instance = await this.nodeInstance();
    return this.save(Agent, {
      ...owned(scope ?? { tenantId: instance.tenantId }),
      id,
      name: id,
      installMethod: 'remote',
      version: '7.1.0',
      rabbitmqExchange: id,
      nodeInstanceFk: instance.storageId,
    });
  }

  secretsProvider(scope = DEFAULT_SCOPE, id = uniqueId('provider')): Promise<SecretsProvider> {
    return this.save(SecretsProvider, { ...owned(scope), id, name: id, type: 'vault' });
  }

  manager(): Promise<Manager> {
    const hostname = uniqueId('manager');
    return this.save(Manager, {
      hostname,
      privateIp: '10.0.0.1',
      publicIp: '10.0.0.1',
      version: '7.1.0',
      edition: 'community',
      distribution: 'debian',
      distroRelease: 'bookworm',
      networks: { default: '10.0.0.1' },
    });
  }
}
