import { compare } from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { DataSource, ObjectLiteral, OptimisticLockVersionMismatchError } from 'typeorm';
import { Visibility } from '@nestify/common';
import {
  Agent,
  ALL_ENTITIES,
  Blueprint,
  BlueprintLabel,
  BUILTIN_ROLES,
  DatabaseHandle,
  Deployment,
  DeploymentGroup,
  DeploymentLabel,
  DeploymentModification,
  Event,
  Execution,
  ExecutionGroup,
  Group,
  Log,
  Node,
  NodeInstance,
  openDatabase,
  Operation,
  Role,
  Secret,
  seedBootstrap,
  Snapshot,
  TasksGraph,
  Tenant,
  updateNodeInstanceIfVersion,
  User,
} from '@nestify/model';
import { ADMIN_PASSWORD, backends } from './backends';
import { CRUD_CASES } from './crud-cases';
import { DEFAULT_SCOPE, Fixtures, owned, Scope, uniqueId } from './fixtures';

/** The SQLSTATE a rejected statement failed with (23505 unique, 23514 check, 23503 foreign key). */
async function sqlState(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  }
  throw new Error('expected the statement to fail');
}

async function count(
  dataSource: DataSource,
  table: string,
  where = 'true',
  params: unknown[] = [],
) {
  const [row] = await dataSource.query(
    `SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`,
    params,
  );
  return (row as { n: number }).n;
}

type Maker = (f: Fixtures, scope: Scope, id: string) => Promise<unknown>;

/** Resources whose `id` is unique per tenant. */
const UNIQUE_PER_TENANT: [string, Maker][] = [
  ['blueprints', (f, scope, id) => f.blueprint(scope, id)],
  ['deployments', (f, scope, id) => f.deployment(scope, id)],
  ['sites (by name)', (f, scope, id) => f.site(scope, id)],
  ['executions', (f, scope, id) => f.execution(null, scope, id)],
  ['execution groups', (f, scope, id) => f.executionGroup(scope, id)],
  ['node instances', (f, scope, id) => f.nodeInstance(undefined, id, scope)],
  ['plugins', (f, scope, id) => f.plugin(scope, id)],
  ['deployment groups', (f, scope, id) => f.deploymentGroup(scope, id)],
  ['agents', (f, scope, id) => f.agent(scope, id)],
  ['secrets providers', (f, scope, id) => f.secretsProvider(scope, id)],
  ['secrets', (f, scope, id) => f.save(Secret, { ...owned(scope), id, value: 'v' })],
  ['snapshots', (f, scope, id) => f.save(Snapshot, { ...owned(scope), id })],
];

describe.each(backends())('storage model on $name', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void> = async () => undefined;
  let db: DataSource;
  let f: Fixtures;

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    handle = await openDatabase(prepared.config);
    db = handle.dataSource;
    f = new Fixtures(db.manager);
  });

  afterAll(async () => {
    await handle?.close();
    await cleanup();
  });

  it('was migrated by the real migrations, which match the entities exactly', async () => {
    expect(handle.embedded).toBe(backend.embedded);
    expect(db.options.synchronize).toBe(false);
    const pending = await db.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  describe('create, read, update, delete', () => {
    it('covers every entity', () => {
      const covered = CRUD_CASES.map((c) => c.entity);
      expect(ALL_ENTITIES.filter((entity) => !covered.includes(entity)).map((e) => e.name)).toEqual(
        [],
      );
    });

    it.each(CRUD_CASES.map((c) => [c.entity.name, c] as const))('%s', async (_name, crud) => {
      const repository = db.getRepository<ObjectLiteral>(crud.entity);
      const created = await crud.create(f);
      const key = repository.metadata.getEntityIdMap(created);
      expect(key).toBeDefined();
      const where = key as ObjectLiteral;

      const read = await repository.findOneByOrFail(where);
      expect(read).toMatchObject(where);

      const change = await crud.change(f);
      await repository.update(where, change);
      expect(await repository.findOneByOrFail(where)).toMatchObject(change);

      await repository.delete(where);
      expect(await repository.findOneBy(where)).toBeNull();
    });
  });

  describe('uniqueness', () => {
    it.each(UNIQUE_PER_TENANT)(
      '%s: an id once per tenant, again in another tenant',
      async (_name, make) => {
        const other = await f.tenant();
        const id = uniqueId('dup');
        await make(f, DEFAULT_SCOPE, id);
        expect(await sqlState(make(f, DEFAULT_SCOPE, id))).toBe('23505');
        await expect(make(f, { tenantId: other.id }, id)).resolves.toBeDefined();
      },
    );

    it('nodes: an id once per deployment', async () => {
      const [first, second] = [await f.deployment(), await f.deployment()];
      await f.node(first, 'vm');
      expect(await sqlState(f.node(first, 'vm'))).toBe('23505');
      await expect(f.node(second, 'vm')).resolves.toBeDefined();
    });

    it('labels: a key/value pair once per labelled resource', async () => {
      const [first, second] = [await f.blueprint(), await f.blueprint()];
      const label = (blueprint: Blueprint) =>
        f.save(BlueprintLabel, {
          ...owned(),
          key: 'env',
          value: 'prod',
          labeledModelFk: blueprint.storageId,
        });
      await label(first);
      expect(await sqlState(label(first))).toBe('23505');
      await expect(label(second)).resolves.toBeDefined();
    });

    it('users: a username once, whatever its case', async () => {
      const name = uniqueId('Someone');
      await f.save(User, { username: name });
      expect(await sqlState(f.save(User, { username: name.toLowerCase() }))).toBe('23505');
      expect(await sqlState(f.save(User, { username: 'ADMIN' }))).toBe('23505');
    });

    it('tenants: a name once', async () => {
      const tenant = await f.tenant();
      expect(await sqlState(f.save(Tenant, { name: tenant.name }))).toBe('23505');
    });

    it('events and logs: a message id once (idempotent inserts from the bus)', async () => {
      const event = await f.event();
      const execution = await f.execution();
      const duplicate = {
        ...owned(),
        reportedTimestamp: new Date(),
        messageId: event.messageId,
        executionFk: execution.storageId,
      };
      expect(await sqlState(f.save(Event, duplicate))).toBe('23505');
      await db.query(
        `INSERT INTO events (visibility, _tenant_id, _creator_id, reported_timestamp, message_id, _execution_fk)
         VALUES ('tenant', 0, 0, now(), $1, $2) ON CONFLICT (message_id) DO NOTHING`,
        [event.messageId, execution.storageId],
      );
      expect(await count(db, 'events', 'message_id = $1', [event.messageId])).toBe(1);
    });
  });

  describe('cascading deletes', () => {
    it('deleting a deployment deletes everything under it, and nothing else', async () => {
      const site = await f.site();
      const deployment = await f.deployment();
      await db
        .getRepository(Deployment)
        .update({ storageId: deployment.storageId }, { siteFk: site.storageId });
      const node = await f.node(deployment);
      const instance = await f.nodeInstance(node);
      const agent = await f.save(Agent, {
        ...owned(),
        id: uniqueId('agent'),
        name: 'a',
        installMethod: 'remote',
        version: '1',
        rabbitmqExchange: 'x',
        nodeInstanceFk: instance.storageId,
      });
      const execution = await f.execution(deployment);
      const graph = await f.tasksGraph(execution);
      await f.operation(graph);
      await f.event(execution);
      await f.log(execution);
      await f.save(DeploymentLabel, {
        ...owned(),
        key: 'k',
        value: 'v',
        labeledModelFk: deployment.storageId,
      });
      await f.save(DeploymentModification, {
        ...owned(),
        id: randomUUID(),
        deploymentFk: deployment.storageId,
      });
      const group = await f.deploymentGroup();
      group.deployments = [deployment];
      await db.getRepository(DeploymentGroup).save(group);
      const executionGroup = await f.executionGroup();
      executionGroup.executions = [execution];
      await db.getRepository(ExecutionGroup).save(executionGroup);
      await db
        .getRepository(Deployment)
        .update(
          { storageId: deployment.storageId },
          { latestExecutionFk: execution.storageId, createExecutionFk: execution.storageId },
        );

      await db.getRepository(Deployment).delete({ storageId: deployment.storageId });

      const gone: [string, string, number][] = [
        ['nodes', '_deployment_fk', deployment.storageId],
        ['node_instances', '_node_fk', node.storageId],
        ['agents', '_storage_id', agent.storageId],
        ['executions', '_deployment_fk', deployment.storageId],
        ['tasks_graphs', '_execution_fk', execution.storageId],
        ['operations', '_tasks_graph_fk', graph.storageId],
        ['events', '_execution_fk', execution.storageId],
        ['logs', '_execution_fk', execution.storageId],
        ['deployments_labels', '_labeled_model_fk', deployment.storageId],
        ['deployment_modifications', '_deployment_fk', deployment.storageId],
        ['deployment_groups_deployments', 'deployment_id', deployment.storageId],
        ['execution_groups_executions', 'execution_id', execution.storageId],
      ];
      for (const [table, column, value] of gone) {
        expect([table, await count(db, table, `"${column}" = $1`, [value])]).toEqual([table, 0]);
      }
      expect(await count(db, 'blueprints', '_storage_id = $1', [deployment.blueprintFk])).toBe(1);
      expect(await count(db, 'sites', '_storage_id = $1', [site.storageId])).toBe(1);
      expect(await count(db, 'deployment_groups', '_storage_id = $1', [group.storageId])).toBe(1);
      expect(
        await count(db, 'execution_groups', '_storage_id = $1', [executionGroup.storageId]),
      ).toBe(1);
    });

    it('deleting a site detaches its deployments', async () => {
      const site = await f.site();
      const deployment = await f.deployment();
      await db
        .getRepository(Deployment)
        .update({ storageId: deployment.storageId }, { siteFk: site.storageId });
      await db.getRepository('Site').delete({ storageId: site.storageId });
      const reloaded = await db
        .getRepository(Deployment)
        .findOneByOrFail({ storageId: deployment.storageId });
      expect(reloaded.siteFk).toBeNull();
    });

    it('a blueprint with deployments cannot be deleted; its labels go with it', async () => {
      const deployment = await f.deployment();
      expect(
        await sqlState(db.getRepository(Blueprint).delete({ storageId: deployment.blueprintFk })),
      ).toBe('23503');
      const blueprint = await f.blueprint();
      await f.save(BlueprintLabel, {
        ...owned(),
        key: 'a',
        value: 'b',
        labeledModelFk: blueprint.storageId,
      });
      await db.getRepository(Blueprint).delete({ storageId: blueprint.storageId });
      expect(
        await count(db, 'blueprints_labels', '_labeled_model_fk = $1', [blueprint.storageId]),
      ).toBe(0);
    });

    it('deleting a tenant deletes what it owns', async () => {
      const tenant = await f.tenant();
      const scope = { tenantId: tenant.id };
      const deployment = await f.deployment(scope);
      const execution = await f.execution(deployment);
      await f.event(execution);
      await db.getRepository(Tenant).delete({ id: tenant.id });
      for (const table of ['blueprints', 'deployments', 'executions', 'events']) {
        expect([table, await count(db, table, '_tenant_id = $1', [tenant.id])]).toEqual([table, 0]);
      }
    });
  });

  describe('node instance versions', () => {
    it('updateNodeInstanceIfVersion lets exactly one of two updates from the same version win', async () => {
      const instance = await f.nodeInstance();
      expect(instance.version).toBe(1);
      const results = await Promise.all([
        updateNodeInstanceIfVersion(db.manager, instance.storageId, 1, { state: 'creating' }),
        updateNodeInstanceIfVersion(db.manager, instance.storageId, 1, { state: 'deleting' }),
      ]);
      expect(results.filter((version) => version === 2)).toHaveLength(1);
      expect(results.filter((version) => version === null)).toHaveLength(1);
      const stored = await db
        .getRepository(NodeInstance)
        .findOneByOrFail({ storageId: instance.storageId });
      expect(stored.version).toBe(2);
      expect(stored.state).toBe(results[0] === 2 ? 'creating' : 'deleting');

      expect(
        await updateNodeInstanceIfVersion(db.manager, instance.storageId, 2, {
          runtimeProperties: { ip: 'x' },
        }),
      ).toBe(3);
      expect(
        await updateNodeInstanceIfVersion(db.manager, instance.storageId, 2, { state: 'stale' }),
      ).toBeNull();
    });

    it('any UPDATE bumps the version; an optimistic-lock read then reports the stale one', async () => {
      const instance = await f.nodeInstance();
      const repository = db.getRepository(NodeInstance);
      await repository.update({ storageId: instance.storageId }, { state: 'started' });
      const stored = await repository.findOneByOrFail({ storageId: instance.storageId });
      expect(stored.version).toBe(2);
      await expect(
        repository.findOne({
          where: { storageId: instance.storageId },
          lock: { mode: 'optimistic', version: 1 },
        }),
      ).rejects.toBeInstanceOf(OptimisticLockVersionMismatchError);
    });
  });

  describe('check constraints', () => {
    const output = async (parents: {
      executionFk: number | null;
      executionGroupFk: number | null;
    }) => ({
      ...owned(),
      reportedTimestamp: new Date(),
      ...parents,
    });

    it.each([
      ['events', Event],
      ['logs', Log],
    ] as const)(
      '%s belong to exactly one of an execution and an execution group',
      async (_name, entity) => {
        const execution = await f.execution();
        const group = await f.executionGroup();
        const neither = await output({ executionFk: null, executionGroupFk: null });
        const both = await output({
          executionFk: execution.storageId,
          executionGroupFk: group.storageId,
        });
        expect(await sqlState(f.save(entity, neither))).toBe('23514');
        expect(await sqlState(f.save(entity, both))).toBe('23514');
        await expect(
          f.save(entity, await output({ executionFk: null, executionGroupFk: group.storageId })),
        ).resolves.toBeDefined();
      },
    );

    it('states and visibilities are limited to their known values', async () => {
      const execution = await f.execution();
      expect(
        await sqlState(
          db.query(`UPDATE executions SET status = 'bogus' WHERE _storage_id = $1`, [
            execution.storageId,
          ]),
        ),
      ).toBe('23514');
      expect(
        await sqlState(
          db.query(`UPDATE executions SET visibility = 'public' WHERE _storage_id = $1`, [
            execution.storageId,
          ]),
        ),
      ).toBe('23514');
      const deployment = await f.deployment();
      expect(
        await sqlState(
          db.query(`UPDATE deployments SET deployment_status = 'fine' WHERE _storage_id = $1`, [
            deployment.storageId,
          ]),
        ),
      ).toBe('23514');
      await db.query(`UPDATE executions SET visibility = $1 WHERE _storage_id = $2`, [
        Visibility.Global,
        execution.storageId,
      ]);
    });
  });

  describe('many-to-many associations', () => {
    it('users and groups hold system roles; groups hold users', async () => {
      const defaultRole = await db.getRepository(Role).findOneByOrFail({ name: 'default' });
      const user = await f.user();
      user.roles = [defaultRole];
      await db.getRepository(User).save(user);
      const group = await f.save(Group, {
        name: uniqueId('group'),
        roles: [defaultRole],
        users: [user],
      });
      const reloadedUser = await db
        .getRepository(User)
        .findOneOrFail({ where: { id: user.id }, relations: { roles: true } });
      expect(reloadedUser.roles?.map((role) => role.name)).toEqual(['default']);
      const reloadedGroup = await db.getRepository(Group).findOneOrFail({
        where: { id: group.id },
        relations: { roles: true, users: true },
      });
      expect(reloadedGroup.users?.map((member) => member.id)).toEqual([user.id]);
    });

    it('deployment groups hold deployments, execution groups hold executions', async () => {
      const [first, second] = [await f.deployment(), await f.deployment()];
      const group = await f.save(DeploymentGroup, {
        ...owned(),
        id: uniqueId('g'),
        deployments: [first, second],
      });
      const execution = await f.execution(first);
      const executionGroup = await f.save(ExecutionGroup, {
        ...owned(),
        id: randomUUID(),
        workflowId: 'install',
        deploymentGroupFk: group.storageId,
        executions: [execution],
      });
      const reloaded = await db.getRepository(DeploymentGroup).findOneOrFail({
        where: { storageId: group.storageId },
        relations: { deployments: true },
      });
      expect(reloaded.deployments?.map((d) => d.id).sort()).toEqual([first.id, second.id].sort());
      const withGroups = await db.getRepository(Execution).findOneOrFail({
        where: { storageId: execution.storageId },
        relations: { executionGroups: true, deployment: true },
      });
      expect(withGroups.executionGroups?.map((g) => g.id)).toEqual([executionGroup.id]);
      expect(withGroups.deployment?.id).toBe(first.id);
    });

    it('labels load with their blueprint and deployment', async () => {
      const deployment = await f.deployment();
      await f.save(DeploymentLabel, {
        ...owned(),
        key: 'env',
        value: 'prod',
        labeledModelFk: deployment.storageId,
      });
      const reloaded = await db.getRepository(Deployment).findOneOrFail({
        where: { storageId: deployment.storageId },
        relations: { labels: true, blueprint: true, deploymentGroups: true },
      });
      expect(reloaded.labels?.map((l) => [l.key, l.value])).toEqual([['env', 'prod']]);
      expect(reloaded.blueprint?.storageId).toBe(deployment.blueprintFk);
      expect(reloaded.deploymentGroups).toEqual([]);
    });

    it('a task graph reaches its execution, an operation its graph, a node instance its node', async () => {
      const operation = await f.operation();
      const loaded = await db.getRepository(Operation).findOneOrFail({
        where: { storageId: operation.storageId },
        relations: { tasksGraph: { execution: true } },
      });
      expect(loaded.tasksGraph).toBeInstanceOf(TasksGraph);
      expect(loaded.tasksGraph?.execution).toBeInstanceOf(Execution);
      const instance = await f.nodeInstance();
      const withNode = await db.getRepository(NodeInstance).findOneOrFail({
        where: { storageId: instance.storageId },
        relations: { node: { deployment: true } },
      });
      expect(withNode.node).toBeInstanceOf(Node);
      expect(withNode.node?.deployment).toBeInstanceOf(Deployment);
    });
  });

  describe('bootstrap seed', () => {
    async function adminState() {
      const [admin] = await db.query(
        `SELECT id, username, password, active FROM users WHERE id = 0`,
      );
      const roles = await db.query(
        `SELECT r.name FROM users_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = 0`,
      );
      const tenants = await db.query(
        `SELECT t.name AS tenant, r.name AS role FROM users_tenants ut
         JOIN tenants t ON t.id = ut.tenant_id JOIN roles r ON r.id = ut.role_id WHERE ut.user_id = 0`,
      );
      return {
        admin,
        roles,
        tenants,
        users: await count(db, 'users', 'lower(username) = $1', ['admin']),
      };
    }

    it('created default_tenant, the built-in roles and admin (sys_admin, member of default_tenant)', async () => {
      const [tenant] = await db.query(`SELECT id, name FROM tenants WHERE id = 0`);
      expect(tenant).toEqual({ id: 0, name: 'default_tenant' });
      const roles = await db.query(
        `SELECT name, type FROM roles WHERE name = ANY($1) ORDER BY id`,
        [BUILTIN_ROLES.map((role) => role.name)],
      );
      expect(roles).toEqual(BUILTIN_ROLES.map(({ name, type }) => ({ name, type })));
      const state = await adminState();
      expect(state.admin).toMatchObject({ id: 0, username: 'admin', active: true });
      expect(await compare(ADMIN_PASSWORD, state.admin.password)).toBe(true);
      expect(state.roles).toEqual([{ name: 'sys_admin' }]);
      expect(state.tenants).toEqual([{ tenant: 'default_tenant', role: 'user' }]);
    });

    it('seeding again changes nothing, the password included', async () => {
      const before = await adminState();
      const result = await db.transaction((manager) =>
        seedBootstrap(manager, { adminPassword: 'another password' }),
      );
      expect(result.adminCreated).toBe(false);
      const after = await adminState();
      expect(after).toEqual(before);
      expect(after.users).toBe(1);
      expect(await compare('another password', after.admin.password)).toBe(false);
      expect(await count(db, 'tenants', `name = 'default_tenant'`)).toBe(1);
    });
  });
});
