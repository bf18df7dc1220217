import { loadConfig } from '@nestify/config';
import {
  Deployment,
  DeploymentModification,
  Node,
  NodeInstance,
  openDatabase,
} from '@nestify/model';
import type { DatabaseHandle } from '@nestify/model';
import { TypeOrmDeploymentStore } from '../../apps/mgmtworker/src/persistence/deployment-store';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase, requireRealPostgres } from '../support/database';
import { deploymentRef } from './support';

/**
 * Deployment modifications (scale) in the mgmtworker's deployment store on a real, migrated
 * PostgreSQL: start inserts the new instances and plans the counts, finish deletes the removed
 * instances and makes the counts current, rollback deletes the added instances and restores them.
 */
(requireRealPostgres() ? describe : describe.skip)('mgmtworker deployment modifications', () => {
  let db: DatabaseHandle;
  let f: Fixtures;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    db = await openDatabase(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }));
    f = new Fixtures(db.dataSource.manager);
  });

  afterAll(async () => {
    await db?.close();
    await dropDatabase?.();
  });

  /** A deployment with one `vm` instance, in scaling group `grp` when asked. */
  async function deploymentWithVm(options: { group?: boolean } = {}) {
    const deployment = await f.deployment();
    const vm = await f.node(deployment, 'vm');
    const instance = await f.nodeInstance(vm);
    if (options.group) {
      await db.dataSource.getRepository(Deployment).update(deployment.storageId, {
        scalingGroups: {
          grp: {
            members: ['vm'],
            properties: {
              min_instances: 0,
              max_instances: -1,
              default_instances: 1,
              current_instances: 1,
              planned_instances: 1,
            },
          },
        },
      });
      await db.dataSource
        .getRepository(NodeInstance)
        .update(instance.storageId, { scalingGroups: [{ name: 'grp', id: 'grp_first1' }] });
    }
    const store = new TypeOrmDeploymentStore(db.dataSource, deploymentRef(deployment));
    return { deployment, vm, instance, store };
  }

  const instancesOf = (node: Node) =>
    db.dataSource.getRepository(NodeInstance).find({ where: { nodeFk: node.storageId } });
  const nodeRow = (node: Node) =>
    db.dataSource.getRepository(Node).findOneByOrFail({ storageId: node.storageId });
  const modificationRow = (id: string) =>
    db.dataSource.getRepository(DeploymentModification).findOneByOrFail({ id });

  it('scales a node out then in: start inserts and plans, finish deletes and makes counts current', async () => {
    const { vm, instance, store } = await deploymentWithVm();
    const out = await store.startModification({ vm: { instances: 3 } });
    const added = out.node_instances.added_and_related.filter((i) => i.modification === 'added');
    expect(added).toHaveLength(2);
    expect(added.every((i) => i.node_id === 'vm' && i.id.startsWith('vm_'))).toBe(true);
    const rows = await instancesOf(vm);
    expect(rows.map((r) => r.id).sort()).toEqual([instance.id, ...added.map((i) => i.id)].sort());
    const fresh = rows.filter((r) => r.id !== instance.id);
    expect(fresh.every((r) => r.state === 'uninitialized' && r.version === 1)).toBe(true);
    expect(fresh.map((r) => r.index).sort()).toEqual([2, 3]);
    expect(await nodeRow(vm)).toMatchObject({
      numberOfInstances: 1,
      plannedNumberOfInstances: 3,
    });
    expect((await store.listStartedModifications()).map((m) => m.id)).toEqual([out.id]);
    // The engine re-reads instances after a start: the new ones are there.
    expect((await store.loadInstances()).map((i) => i.id)).toHaveLength(3);
    await expect(store.startModification({ vm: { instances: 4 } })).rejects.toThrow(
      /another one is started/,
    );

    await store.finishModification(out.id);
    expect(await nodeRow(vm)).toMatchObject({
      numberOfInstances: 3,
      plannedNumberOfInstances: 3,
    });
    expect(await modificationRow(out.id)).toMatchObject({ status: 'finished' });
    expect((await modificationRow(out.id)).endedAt).not.toBeNull();
    expect(await store.listStartedModifications()).toEqual([]);

    const scaleIn = await store.startModification({
      vm: { instances: 1, removed_ids_include_hint: added.map((i) => i.id) },
    });
    const removed = scaleIn.node_instances.removed_and_related.filter(
      (i) => i.modification === 'removed',
    );
    expect(removed.map((i) => i.id).sort()).toEqual(added.map((i) => i.id).sort());
    // Removed instances stay until the uninstall finished.
    expect(await instancesOf(vm)).toHaveLength(3);
    await store.finishModification(scaleIn.id);
    expect((await instancesOf(vm)).map((r) => r.id)).toEqual([instance.id]);
    expect(await nodeRow(vm)).toMatchObject({ numberOfInstances: 1, plannedNumberOfInstances: 1 });
    await expect(store.finishModification(scaleIn.id)).rejects.toThrow(/already finished/);
    store.close();
  });

  it('scales a scaling group and rolls back: added instances deleted, group counts restored', async () => {
    const { deployment, vm, instance, store } = await deploymentWithVm({ group: true });
    const groupProperties = async () =>
      (
        (await db.dataSource
          .getRepository(Deployment)
          .findOneByOrFail({ storageId: deployment.storageId })) as Deployment & {
          scalingGroups: { grp: { properties: Record<string, number> } };
        }
      ).scalingGroups.grp.properties;

    const started = await store.startModification({ grp: { instances: 3 } });
    const added = started.node_instances.added_and_related.filter(
      (i) => i.modification === 'added',
    );
    expect(added).toHaveLength(2);
    const rows = await instancesOf(vm);
    expect(rows).toHaveLength(3);
    for (const row of rows.filter((r) => r.id !== instance.id)) {
      // Each new vm is in a new instance of the group.
      expect(row.scalingGroups).toEqual([{ name: 'grp', id: expect.stringMatching(/^grp_/) }]);
      expect(row.scalingGroups?.[0].id).not.toBe('grp_first1');
    }
    expect(await groupProperties()).toMatchObject({ current_instances: 1, planned_instances: 3 });

    await store.rollbackModification(started.id);
    expect((await instancesOf(vm)).map((r) => r.id)).toEqual([instance.id]);
    expect(await groupProperties()).toMatchObject({ current_instances: 1, planned_instances: 1 });
    expect(await modificationRow(started.id)).toMatchObject({ status: 'rolledback' });
    expect(await store.listStartedModifications()).toEqual([]);
    store.close();
  });

  it('extends relationships to added targets at start and drops those to removed targets at finish', async () => {
    const deployment = await f.deployment();
    const dbNode = await f.node(deployment, 'db');
    const appNode = await f.node(deployment, 'app');
    await db.dataSource.getRepository(Node).update(appNode.storageId, {
      relationships: [
        {
          type: 'cloudify.relationships.connected_to',
          target_id: 'db',
          type_hierarchy: [
            'cloudify.relationships.depends_on',
            'cloudify.relationships.connected_to',
          ],
          properties: { connection_type: 'all_to_all' },
        },
      ],
    });
    const firstDb = await f.nodeInstance(dbNode);
    const app = await f.nodeInstance(appNode);
    const toDb = (id: string) => ({
      type: 'cloudify.relationships.connected_to',
      target_id: id,
      target_name: 'db',
    });
    await db.dataSource
      .getRepository(NodeInstance)
      .update(app.storageId, { relationships: [toDb(firstDb.id)] });
    const store = new TypeOrmDeploymentStore(db.dataSource, deploymentRef(deployment));
    const appRelationships = async () =>
      (await db.dataSource.getRepository(NodeInstance).findOneByOrFail({ id: app.id }))
        .relationships;

    const out = await store.startModification({ db: { instances: 2 } });
    const [secondDb] = out.node_instances.added_and_related.filter(
      (i) => i.modification === 'added',
    );
    expect(secondDb.node_id).toBe('db');
    expect(await appRelationships()).toEqual([toDb(firstDb.id), toDb(secondDb.id)]);
    await store.finishModification(out.id);

    const scaleIn = await store.startModification({
      db: { instances: 1, removed_ids_include_hint: [secondDb.id] },
    });
    // Until the removal finishes, the app still relates to the db being removed.
    expect(await appRelationships()).toHaveLength(2);
    await store.finishModification(scaleIn.id);
    expect(await appRelationships()).toEqual([toDb(firstDb.id)]);
    expect((await instancesOf(dbNode)).map((r) => r.id)).toEqual([firstDb.id]);
    store.close();
  });

  it("never deletes another deployment's instances on finish", async () => {
    const mine = await deploymentWithVm();
    const theirs = await deploymentWithVm();
    const scaleIn = await mine.store.startModification({ vm: { instances: 0 } });
    expect(
      scaleIn.node_instances.removed_and_related.filter((i) => i.modification === 'removed'),
    ).toEqual([expect.objectContaining({ id: mine.instance.id })]);
    await mine.store.finishModification(scaleIn.id);
    expect(await instancesOf(mine.vm)).toEqual([]);
    expect((await instancesOf(theirs.vm)).map((r) => r.id)).toEqual([theirs.instance.id]);
    mine.store.close();
    theirs.store.close();
  });
});
