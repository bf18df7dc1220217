import { randomUUID } from 'node:crypto';
import { loadConfig } from '@nestify/config';
import { NodeInstance, Operation, openDatabase } from '@nestify/model';
import type { DatabaseHandle } from '@nestify/model';
import { TypeOrmDeploymentStore } from '../../apps/mgmtworker/src/persistence/deployment-store';
import { TypeOrmGraphStore } from '../../apps/mgmtworker/src/persistence/graph-store';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase, requireRealPostgres } from '../support/database';
import { deploymentRef, executionCounters, refOf, storedOperation } from './support';

/**
 * The mgmtworker's storage adapters on a real, migrated PostgreSQL: the task-graph store (one
 * multi-row insert, batched state updates, operation counters, restore by name) and the
 * deployment store (three-query load, batched instance patches keeping order, state rules).
 */
(requireRealPostgres() ? describe : describe.skip)('mgmtworker storage adapters', () => {
  let db: DatabaseHandle;
  let f: Fixtures;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    db = await openDatabase(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }));
    f = new Fixtures(db.dataSource.manager);
    await countUpdateStatements(db, ['operations', 'node_instances']);
  });

  afterAll(async () => {
    await db?.close();
    await dropDatabase?.();
  });

  describe('TypeOrmGraphStore', () => {
    it('stores a graph with all its tasks and counts the non-NOP ones in total_operations', async () => {
      const execution = await f.execution();
      const store = new TypeOrmGraphStore(db.dataSource, refOf(execution));
      const [a, b, nop] = [randomUUID(), randomUUID(), randomUUID()];
      const graphId = await store.create(execution.id, 'install', [
        storedOperation(a),
        storedOperation(b, { dependencies: [a], type: 'SetNodeInstanceStateTask' }),
        storedOperation(nop, { type: 'NOPLocalWorkflowTask' }),
      ]);
      const rows = await db.dataSource
        .getRepository(Operation)
        .find({ where: [{ id: a }, { id: b }, { id: nop }] });
      expect(rows).toHaveLength(3);
      expect(rows.find((r) => r.id === b)?.dependencies).toEqual([a]);
      expect(rows.every((r) => r.state === 'pending' && r.tenantId === execution.tenantId)).toBe(
        true,
      );
      expect(await executionCounters(db.dataSource, execution.storageId)).toEqual({
        total: 2,
        finished: 0,
      });
      const found = await store.find(execution.id, 'install');
      expect(found?.id).toBe(graphId);
      expect(found?.operations.map((op) => op.id)).toEqual([a, b, nop]);
      expect(found?.operations[1].parameters.total_retries).toBe(60);
      expect(await store.find(execution.id, 'uninstall')).toBeNull();
      store.close();
    });

    it('batches state changes into few writes, keeps the last state and counts each task finished once', async () => {
      const execution = await f.execution();
      const store = new TypeOrmGraphStore(db.dataSource, refOf(execution), { flushDelayMs: 50 });
      const ids = Array.from({ length: 300 }, () => randomUUID());
      await store.create(
        execution.id,
        'install',
        ids.map((id) => storedOperation(id)),
      );
      const before = await statementCount(db, 'operations');
      for (const id of ids) store.recordStates([{ id, state: 'sending' }]);
      for (const id of ids) store.recordStates([{ id, state: 'sent' }]);
      for (const id of ids) store.recordStates([{ id, state: 'succeeded', counted: true }]);
      // A late duplicate terminal change (redelivered reply) must not count twice.
      store.recordStates([{ id: ids[0], state: 'succeeded' }]);
      store.recordStates([{ id: ids[1], state: 'failed', exception: 'boom' }]);
      await store.flush();
      // 901 changes, flushed by size (1000) or time: one or two statements, not 901.
      expect((await statementCount(db, 'operations')) - before).toBeLessThanOrEqual(2);
      const rows = await db.dataSource
        .getRepository(Operation)
        .find({ where: ids.map((id) => ({ id })) });
      expect(rows.filter((r) => r.state === 'succeeded')).toHaveLength(299);
      const failed = rows.find((r) => r.id === ids[1]);
      expect(failed?.state).toBe('failed');
      expect(failed?.parameters?.error).toBe('boom');
      expect(await executionCounters(db.dataSource, execution.storageId)).toEqual({
        total: 300,
        finished: 300,
      });
      store.close();
    });

    it('writes through the transaction that updates operations, one UPDATE per flush', async () => {
      const execution = await f.execution();
      const store = new TypeOrmGraphStore(db.dataSource, refOf(execution), { flushDelayMs: 1000 });
      const ids = Array.from({ length: 50 }, () => randomUUID());
      await store.create(
        execution.id,
        'install',
        ids.map((id) => storedOperation(id)),
      );
      const before = await statementCount(db, 'operations');
      store.recordStates(ids.map((id) => ({ id, state: 'sent' as const })));
      store.recordStates(ids.map((id) => ({ id, state: 'started' as const })));
      await store.flush();
      expect((await statementCount(db, 'operations')) - before).toBe(1);
      store.close();
    });

    it('adds retries to an existing graph and counts them; restores terminal tasks as finished', async () => {
      const execution = await f.execution();
      const store = new TypeOrmGraphStore(db.dataSource, refOf(execution));
      const first = randomUUID();
      const graphId = await store.create(execution.id, 'install', [storedOperation(first)]);
      store.recordStates([{ id: first, state: 'failed' }]);
      await store.flush();
      const retry = randomUUID();
      await store.addOperations(graphId, [
        storedOperation(retry, {
          parameters: { retried_task: first, current_retries: 1 } as never,
        }),
      ]);
      expect(await executionCounters(db.dataSource, execution.storageId)).toEqual({
        total: 2,
        finished: 1,
      });
      // A new worker (after a restart) restores the graph and must not count `first` again.
      const restarted = new TypeOrmGraphStore(db.dataSource, refOf(execution));
      const restored = await restarted.find(execution.id, 'install');
      expect(restored?.operations.map((op) => [op.id, op.state])).toEqual([
        [first, 'failed'],
        [retry, 'pending'],
      ]);
      restarted.recordStates([
        { id: first, state: 'failed' },
        { id: retry, state: 'succeeded' },
      ]);
      await restarted.flush();
      expect(await executionCounters(db.dataSource, execution.storageId)).toEqual({
        total: 2,
        finished: 2,
      });
      store.close();
      restarted.close();
    });

    it("never touches another execution's operations with the same id", async () => {
      const mine = await f.execution();
      const theirs = await f.execution();
      const id = randomUUID();
      const store = new TypeOrmGraphStore(db.dataSource, refOf(mine));
      const other = new TypeOrmGraphStore(db.dataSource, refOf(theirs));
      await store.create(mine.id, 'install', [storedOperation(id)]);
      await other.create(theirs.id, 'install', [storedOperation(id)]);
      store.recordStates([{ id, state: 'succeeded' }]);
      await store.flush();
      expect((await other.find(theirs.id, 'install'))?.operations[0].state).toBe('pending');
      await expect(store.find(theirs.id, 'install')).rejects.toThrow(/belongs to execution/);
      store.close();
      other.close();
    });
  });

  describe('TypeOrmDeploymentStore', () => {
    async function deploymentWith(count: number) {
      const deployment = await f.deployment();
      const host = await f.node(deployment, 'vm');
      const app = await f.node(deployment, 'app');
      const instances: NodeInstance[] = [];
      for (let i = 0; i < count; i++) instances.push(await f.nodeInstance(i % 2 ? app : host));
      return { deployment, instances };
    }

    it('loads the deployment, its nodes in plan shape and its instances', async () => {
      const { deployment, instances } = await deploymentWith(4);
      const store = new TypeOrmDeploymentStore(db.dataSource, deploymentRef(deployment));
      const snapshot = await store.load();
      expect(snapshot.deployment).toMatchObject({
        id: deployment.id,
        display_name: deployment.id,
        tenant_name: 'default_tenant',
        creator: 'admin',
        runtime_only_evaluation: false,
      });
      expect(snapshot.nodes.map((n) => n.id).sort()).toEqual(['app', 'vm']);
      expect(snapshot.nodes[0]).toMatchObject({
        type: 'cloudify.nodes.Root',
        type_hierarchy: ['cloudify.nodes.Root'],
        number_of_instances: 1,
        operations: {},
        relationships: [],
      });
      expect(snapshot.instances.map((i) => i.id).sort()).toEqual(instances.map((i) => i.id).sort());
      expect(snapshot.instances[0]).toMatchObject({
        state: 'uninitialized',
        version: 1,
        runtime_properties: {},
        system_properties: {},
        relationships: [],
      });
      store.close();
    });

    it('batches patches per instance in order, bumps version once per write and applies the state rules', async () => {
      const { deployment, instances } = await deploymentWith(3);
      const store = new TypeOrmDeploymentStore(db.dataSource, deploymentRef(deployment), {
        flushDelayMs: 1000,
      });
      const [a, b, c] = instances.map((i) => i.id);
      const before = await statementCount(db, 'node_instances');
      for (const state of ['initializing', 'creating', 'created', 'configuring', 'configured']) {
        void store.updateInstance(a, { state });
      }
      void store.updateInstance(b, { state: 'starting' });
      void store.updateInstance(b, { state: 'started' });
      void store.updateInstance(c, {
        system_properties: { configuration_drift: { ok: false, result: 'x' } },
      });
      await store.flush();
      expect((await statementCount(db, 'node_instances')) - before).toBe(1);
      const rows = await db.dataSource
        .getRepository(NodeInstance)
        .find({ where: [{ id: a }, { id: b }, { id: c }] });
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId[a]).toMatchObject({
        state: 'configured',
        version: 2,
        hasConfigurationDrift: false,
      });
      expect(byId[a].systemProperties?.configuration_drift).toMatchObject({
        ok: true,
        result: null,
      });
      expect(byId[b]).toMatchObject({ state: 'started', version: 2, isStatusCheckOk: true });
      expect(byId[b].systemProperties).toMatchObject({
        status: { ok: true },
        previous_status: null,
      });
      expect(byId[c]).toMatchObject({ state: 'uninitialized', hasConfigurationDrift: true });
      // The next write sees the last state: order across flushes is kept too.
      await store.updateInstance(a, { state: 'started' });
      const again = await db.dataSource.getRepository(NodeInstance).findOneByOrFail({ id: a });
      expect(again).toMatchObject({ state: 'started', version: 3, isStatusCheckOk: true });
      store.close();
    });

    it('does not patch an instance of another deployment', async () => {
      const mine = await deploymentWith(1);
      const theirs = await deploymentWith(1);
      const store = new TypeOrmDeploymentStore(db.dataSource, deploymentRef(mine.deployment));
      await store.updateInstance(theirs.instances[0].id, { state: 'started' });
      const row = await db.dataSource
        .getRepository(NodeInstance)
        .findOneByOrFail({ id: theirs.instances[0].id });
      expect(row.state).toBe('uninitialized');
      store.close();
    });
  });
});

/** UPDATE statements PostgreSQL ran on a table so far (counted by the statement trigger). */
async function statementCount(db: DatabaseHandle, table: string): Promise<number> {
  const [row] = await db.dataSource.query(
    `SELECT count FROM test_update_statements WHERE table_name = $1`,
    [table],
  );
  return row ? Number(row.count) : 0;
}

/** A statement-level trigger per table counts UPDATE statements (not rows): batching is visible. */
async function countUpdateStatements(db: DatabaseHandle, tables: string[]): Promise<void> {
  await db.dataSource.query(
    `CREATE TABLE test_update_statements (table_name text PRIMARY KEY, count int NOT NULL)`,
  );
  await db.dataSource.query(`CREATE FUNCTION test_count_update() RETURNS trigger AS $$
    BEGIN
      INSERT INTO test_update_statements VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (table_name) DO UPDATE SET count = test_update_statements.count + 1;
      RETURN NULL;
    END $$ LANGUAGE plpgsql`);
  for (const table of tables) {
    await db.dataSource.query(
      `CREATE TRIGGER test_count_${table} AFTER UPDATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION test_count_update()`,
    );
  }
}
