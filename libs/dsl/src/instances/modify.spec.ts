import { PlanNode, PlanNodeInstance, ScalingGroup } from '../plan/plan-types';
import {
  DeploymentModification,
  ModifiedNodeInstance,
  NodeModification,
  generateNodeInstances,
  modifyDeployment,
} from './index';
import { CONNECTED_TO } from './relationship-kinds';
import { instancesOf, planNodes, scalingGroup, sequentialIds, targetsOf } from './test-fixtures';

interface Deployment {
  nodes: PlanNode[];
  groups: Record<string, ScalingGroup>;
  instances: PlanNodeInstance[];
}

function deploy(nodes: PlanNode[], groups: Record<string, ScalingGroup> = {}): Deployment {
  return {
    nodes,
    groups,
    instances: generateNodeInstances(nodes, groups, { newId: sequentialIds() }),
  };
}

function modify(
  deployment: Deployment,
  modifiedNodes: Record<string, NodeModification>,
): DeploymentModification {
  return modifyDeployment({
    nodes: deployment.nodes,
    previousNodeInstances: deployment.instances,
    modifiedNodes,
    scalingGroups: deployment.groups,
  });
}

const marked = (list: ModifiedNodeInstance[], kind: string): ModifiedNodeInstance[] =>
  list.filter((instance) => instance.modification === kind);

/** [added_and_related, removed_and_related, added, removed] sizes, as Cloudify's tests count. */
function counts(result: DeploymentModification): number[] {
  return [
    result.added_and_related.length,
    result.removed_and_related.length,
    marked(result.added_and_related, 'added').length,
    marked(result.removed_and_related, 'removed').length,
  ];
}

describe('modifyDeployment', () => {
  it('adds a host instance whose host_id is itself', () => {
    const deployment = deploy(planNodes([{ id: 'host', host: true }]));
    const result = modify(deployment, { host: { instances: 2 } });
    expect(counts(result)).toEqual([1, 0, 1, 0]);
    const [added] = result.added_and_related;
    expect(added.id).toMatch(/^host_[a-z0-9]{6}$/);
    expect(deployment.instances.map((i) => i.id)).not.toContain(added.id);
    expect(added.host_id).toBe(added.id);
    expect(result.extended_and_related).toEqual([]);
    expect(result.reduced_and_related).toEqual([]);
  });

  it('changes nothing when the count stays the same', () => {
    const deployment = deploy(planNodes([{ id: 'host', host: true }]));
    expect(counts(modify(deployment, { host: { instances: 1 } }))).toEqual([0, 0, 0, 0]);
  });

  it('scales a host down, removing what it contains', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host', host: true, instances: 2 },
        { id: 'db', containedIn: 'host' },
      ]),
    );
    const result = modify(deployment, { host: { instances: 1 } });
    expect(counts(result)).toEqual([0, 2, 0, 2]);
    const [host] = instancesOf(result.removed_and_related, 'host');
    const [db] = instancesOf(result.removed_and_related, 'db');
    expect(targetsOf(db, 'host')).toEqual([host.id]);
    expect(db.host_id).toBe(host.id);
  });

  it('scales a host up, creating its contents too', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host', host: true },
        { id: 'db', containedIn: 'host' },
      ]),
    );
    const result = modify(deployment, { host: { instances: 2 } });
    expect(counts(result)).toEqual([2, 0, 2, 0]);
    const [host] = instancesOf(result.added_and_related, 'host');
    const [db] = instancesOf(result.added_and_related, 'db');
    expect(db.host_id).toBe(host.id);
    expect(targetsOf(db, 'host')).toEqual([host.id]);
  });

  it('scales a contained node per container instance, listing the container as related', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host', host: true },
        { id: 'db', containedIn: 'host' },
      ]),
    );
    const result = modify(deployment, { db: { instances: 2 } });
    expect(counts(result)).toEqual([2, 0, 1, 0]);
    const [host] = instancesOf(result.added_and_related, 'host');
    expect(host.modification).toBeUndefined();
    expect(host.id).toBe(instancesOf(deployment.instances, 'host')[0].id);
    expect(host.relationships).toEqual([]);
  });

  it('scales two nodes at once (Cloudify: 5 related, 4 added)', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host', host: true },
        { id: 'db', containedIn: 'host' },
      ]),
    );
    const result = modify(deployment, { host: { instances: 2 }, db: { instances: 2 } });
    expect(counts(result)).toEqual([5, 0, 4, 0]);
    expect(instancesOf(result.added_and_related, 'db')).toHaveLength(3);
  });

  it('extends the relationships of existing sources when a connected target scales up', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host1', host: true },
        { id: 'host2', host: true },
        { id: 'db', containedIn: 'host1', connectedTo: ['host2'] },
      ]),
    );
    const result = modify(deployment, { host2: { instances: 2 } });
    expect(counts(result)).toEqual([2, 0, 1, 0]);
    const [newHost2] = marked(result.added_and_related, 'added');
    const [relatedDb] = instancesOf(result.added_and_related, 'db');
    expect(relatedDb.modification).toBeUndefined();
    expect(relatedDb.relationships).toEqual([
      { type: CONNECTED_TO, target_id: newHost2.id, target_name: 'host2' },
    ]);
    expect(result.extended_and_related).toEqual([{ ...relatedDb, modification: 'extended' }]);
  });

  it('reduces the relationships of remaining sources when a connected target scales down', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host1', host: true, instances: 2 },
        { id: 'host2', host: true, instances: 2 },
        { id: 'db', containedIn: 'host1', connectedTo: ['host2'], instances: 2 },
      ]),
    );
    const result = modify(deployment, { host2: { instances: 1 } });
    expect(counts(result)).toEqual([0, 5, 0, 1]);
    const [removedHost2] = marked(result.removed_and_related, 'removed');
    expect(result.reduced_and_related).toHaveLength(4);
    for (const db of result.reduced_and_related) {
      expect(db.modification).toBe('reduced');
      expect(db.relationships).toEqual([
        { type: CONNECTED_TO, target_id: removedHost2.id, target_name: 'host2' },
      ]);
    }
  });

  it('keeps the all_to_one target of existing instances for new ones', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host1', host: true },
        { id: 'host2', host: true, instances: 5 },
        {
          id: 'db',
          containedIn: 'host1',
          instances: 5,
          connectedTo: [{ target: 'host2', connectionType: 'all_to_one' }],
        },
      ]),
    );
    const [initialTarget] = new Set(
      instancesOf(deployment.instances, 'db').flatMap((db) => targetsOf(db, 'host2')),
    );
    // Ids that sort before every existing one: the smallest id is no longer the old target.
    const result = modifyDeployment(
      {
        nodes: deployment.nodes,
        previousNodeInstances: deployment.instances,
        modifiedNodes: { host2: { instances: 10 }, db: { instances: 10 } },
        scalingGroups: {},
      },
      {
        newId: (
          (n) => (prefix: string) =>
            `${prefix}_0000${(n++).toString(36).padStart(2, '0')}`
        )(0),
      },
    );
    expect(counts(result)).toEqual([12, 0, 10, 0]);
    const addedDbs = marked(instancesOf(result.added_and_related, 'db'), 'added');
    expect(addedDbs).toHaveLength(5);
    for (const db of addedDbs) expect(targetsOf(db, 'host2')).toEqual([initialTarget]);
  });

  it('scales out from zero with an all_to_one relationship', () => {
    const deployment = deploy(
      planNodes([
        {
          id: 'host',
          host: true,
          instances: 0,
          connectedTo: [{ target: 'web', connectionType: 'all_to_one' }],
        },
        { id: 'web' },
      ]),
    );
    const result = modify(deployment, { host: { instances: 1 } });
    expect(result.added_and_related).toHaveLength(2);
  });

  it('honours removed_ids_include_hint and removed_ids_exclude_hint', () => {
    const deployment = deploy(
      planNodes([
        { id: 'host', host: true, instances: 3 },
        { id: 'db', containedIn: 'host', instances: 2 },
      ]),
    );
    const hostIds = instancesOf(deployment.instances, 'host').map((i) => i.id);
    const dbIds = instancesOf(deployment.instances, 'db').map((i) => i.id);
    const removedIds = (result: DeploymentModification, node: string): string[] =>
      marked(instancesOf(result.removed_and_related, node), 'removed').map((i) => i.id);
    for (const hostId of hostIds) {
      const included = modify(deployment, {
        host: { instances: 2, removed_ids_include_hint: [hostId] },
      });
      expect(counts(included)).toEqual([0, 3, 0, 3]);
      expect(removedIds(included, 'host')).toEqual([hostId]);
      const excluded = modify(deployment, {
        host: { instances: 2, removed_ids_exclude_hint: [hostId] },
      });
      expect(removedIds(excluded, 'host')).not.toContain(hostId);
    }
    for (const dbId of dbIds) {
      const included = modify(deployment, {
        db: { instances: 1, removed_ids_include_hint: [dbId] },
      });
      expect(counts(included)).toEqual([0, 6, 0, 3]);
      expect(removedIds(included, 'db')).toContain(dbId);
      const excluded = modify(deployment, {
        db: { instances: 1, removed_ids_exclude_hint: [dbId] },
      });
      expect(removedIds(excluded, 'db')).not.toContain(dbId);
    }
    expect(
      counts(modify(deployment, { db: { instances: 1, removed_ids_exclude_hint: dbIds } })),
    ).toEqual([0, 6, 0, 3]);
  });

  describe('scaling groups', () => {
    const pair = (): Deployment =>
      deploy(
        planNodes([
          { id: 'vm', host: true },
          { id: 'app', containedIn: 'vm' },
        ]),
        {
          pair: scalingGroup(['vm', 'app'], 2),
        },
      );

    it('scales a group up: a new group instance with its members', () => {
      const deployment = pair();
      const result = modify(deployment, { pair: { instances: 3 } });
      expect(counts(result)).toEqual([2, 0, 2, 0]);
      const [vm] = instancesOf(result.added_and_related, 'vm');
      const [app] = instancesOf(result.added_and_related, 'app');
      const oldGroups = new Set(
        deployment.instances.flatMap((i) => i.scaling_groups ?? []).map((g) => g.id),
      );
      expect(vm.scaling_groups).toHaveLength(1);
      expect(oldGroups.has(String(vm.scaling_groups?.[0]?.id))).toBe(false);
      expect(app.host_id).toBe(vm.id);
      expect(targetsOf(app, 'vm')).toEqual([vm.id]);
    });

    it('scales a group down, removing the group instance named through a member hint', () => {
      const deployment = pair();
      const [, secondVm] = instancesOf(deployment.instances, 'vm');
      const result = modify(deployment, {
        pair: { instances: 1, removed_ids_include_hint: [secondVm.id] },
      });
      expect(counts(result)).toEqual([0, 2, 0, 2]);
      const [vm] = instancesOf(result.removed_and_related, 'vm');
      expect(vm.id).toBe(secondVm.id);
      expect(vm.scaling_groups).toEqual(secondVm.scaling_groups);
    });

    it('scales a member inside existing group instances', () => {
      const deployment = pair();
      const result = modify(deployment, { vm: { instances: 2 } });
      // One new vm (and its app) per existing group instance.
      expect(
        marked(result.added_and_related, 'added')
          .map((i) => i.node_id)
          .sort(),
      ).toEqual(['app', 'app', 'vm', 'vm']);
      for (const vm of instancesOf(result.added_and_related, 'vm')) {
        expect(vm.host_id).toBe(vm.id);
        expect(vm.scaling_groups).toHaveLength(1);
      }
    });

    it('lists the real container of a new group member as related', () => {
      const deployment = deploy(
        planNodes([
          { id: 'host', host: true },
          { id: 'db', containedIn: 'host' },
        ]),
        { data: scalingGroup(['db'], 1) },
      );
      const result = modify(deployment, { data: { instances: 2 } });
      expect(counts(result)).toEqual([2, 0, 1, 0]);
      const [db] = marked(result.added_and_related, 'added');
      const [host] = instancesOf(result.added_and_related, 'host');
      expect(host.relationships).toEqual([]);
      expect(targetsOf(db, 'host')).toEqual([host.id]);
      expect(db.host_id).toBe(host.id);
      expect(db.scaling_groups?.map((g) => g.name)).toEqual(['data']);
    });
  });
});
