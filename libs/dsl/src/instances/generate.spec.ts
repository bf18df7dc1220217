import { DslError } from '../errors';
import { generateNodeInstances } from './index';
import { CONNECTED_TO, CONTAINED_IN } from './relationship-kinds';
import { instancesOf, planNodes, scalingGroup, sequentialIds, targetsOf } from './test-fixtures';

const ID_PATTERN = /^[a-z_]+_[a-z0-9]{6}$/;

describe('generateNodeInstances', () => {
  it('builds the hello-world instances: host, db in host, app in host connected to db', () => {
    const nodes = planNodes([
      { id: 'host', host: true },
      { id: 'db', containedIn: 'host' },
      { id: 'app', containedIn: 'host', connectedTo: ['db'] },
    ]);
    const instances = generateNodeInstances(nodes, {}, { newId: sequentialIds() });

    expect(instances).toHaveLength(3);
    const [host] = instancesOf(instances, 'host');
    const [db] = instancesOf(instances, 'db');
    const [app] = instancesOf(instances, 'app');
    expect(host).toEqual({
      id: host.id,
      name: 'host',
      node_id: 'host',
      host_id: host.id,
      relationships: [],
    });
    expect(db.host_id).toBe(host.id);
    expect(db.relationships).toEqual([
      { type: CONTAINED_IN, target_id: host.id, target_name: 'host' },
    ]);
    expect(app.host_id).toBe(host.id);
    expect(app.relationships).toEqual([
      { type: CONTAINED_IN, target_id: host.id, target_name: 'host' },
      { type: CONNECTED_TO, target_id: db.id, target_name: 'db' },
    ]);
    for (const instance of instances) expect(instance.id).toMatch(ID_PATTERN);
    expect(instances.some((instance) => 'scaling_groups' in instance)).toBe(false);
  });

  it('makes random ids of the form <node>_<6 chars> by default', () => {
    const instances = generateNodeInstances(planNodes([{ id: 'vm', instances: 50 }]), {});
    expect(new Set(instances.map((i) => i.id)).size).toBe(50);
    for (const instance of instances) expect(instance.id).toMatch(/^vm_[a-z0-9]{6}$/);
  });

  it('multiplies contained nodes per container instance: 3 hosts x 2 apps', () => {
    const nodes = planNodes([
      { id: 'host', host: true, instances: 3 },
      { id: 'app', containedIn: 'host', instances: 2 },
    ]);
    const instances = generateNodeInstances(nodes, {}, { newId: sequentialIds() });
    const hosts = instancesOf(instances, 'host');
    const apps = instancesOf(instances, 'app');
    expect(hosts).toHaveLength(3);
    expect(apps).toHaveLength(6);
    for (const host of hosts) {
      const mine = apps.filter((app) => app.host_id === host.id);
      expect(mine).toHaveLength(2);
      for (const app of mine) expect(targetsOf(app, 'host')).toEqual([host.id]);
    }
  });

  it('links every source to every target for all_to_all, to one shared target for all_to_one', () => {
    const nodes = planNodes([
      { id: 'db', instances: 3 },
      { id: 'cache', instances: 2 },
      {
        id: 'app',
        instances: 4,
        connectedTo: [{ target: 'db', connectionType: 'all_to_one' }, 'cache'],
      },
    ]);
    const instances = generateNodeInstances(nodes, {}, { newId: sequentialIds() });
    const dbIds = instancesOf(instances, 'db').map((i) => i.id);
    const cacheIds = instancesOf(instances, 'cache').map((i) => i.id);
    const apps = instancesOf(instances, 'app');
    const chosen = new Set(apps.flatMap((app) => targetsOf(app, 'db')));
    expect(chosen.size).toBe(1);
    expect([...chosen][0]).toBe([...dbIds].sort()[0]);
    for (const app of apps) {
      expect(targetsOf(app, 'cache').sort()).toEqual([...cacheIds].sort());
      // Relationships keep the node's order: the db one first.
      expect(app.relationships.map((r) => r.target_name)).toEqual(['db', 'cache', 'cache']);
    }
  });

  it('scales a group of a vm and an app contained in it together (default 2)', () => {
    const nodes = planNodes([
      { id: 'vm', host: true },
      { id: 'app', containedIn: 'vm' },
    ]);
    const groups = { pair: scalingGroup(['vm', 'app'], 2) };
    const instances = generateNodeInstances(nodes, groups, { newId: sequentialIds() });
    const vms = instancesOf(instances, 'vm');
    const apps = instancesOf(instances, 'app');
    expect(vms).toHaveLength(2);
    expect(apps).toHaveLength(2);
    const groupIds = new Set(vms.map((vm) => vm.scaling_groups?.[0]?.id));
    expect(groupIds.size).toBe(2);
    for (const vm of vms) {
      expect(vm.scaling_groups).toEqual([
        { name: 'pair', id: expect.stringMatching(/^pair_[a-z0-9]{6}$/) },
      ]);
      const inside = apps.filter((app) => app.host_id === vm.id);
      expect(inside).toHaveLength(1);
      expect(targetsOf(inside[0], 'vm')).toEqual([vm.id]);
      // The app scales with its vm, not as a group member of its own.
      expect(inside[0].scaling_groups).toBeUndefined();
    }
  });

  it('multiplies a group contained in a host per host instance, and resolves member containment', () => {
    const nodes = planNodes([
      { id: 'host', host: true, instances: 2 },
      { id: 'db', containedIn: 'host' },
      { id: 'backup', containedIn: 'host', connectedTo: ['db'] },
    ]);
    const groups = { data: scalingGroup(['db', 'backup'], 3) };
    const instances = generateNodeInstances(nodes, groups, { newId: sequentialIds() });
    const hosts = instancesOf(instances, 'host');
    const dbs = instancesOf(instances, 'db');
    const backups = instancesOf(instances, 'backup');
    expect(dbs).toHaveLength(6);
    expect(backups).toHaveLength(6);
    for (const backup of backups) {
      const group = backup.scaling_groups?.[0]?.id;
      const [host] = targetsOf(backup, 'host');
      expect(hosts.map((h) => h.id)).toContain(host);
      expect(backup.host_id).toBe(host);
      // Connected only to the db of the same group instance.
      const [db] = targetsOf(backup, 'db');
      expect(targetsOf(backup, 'db')).toHaveLength(1);
      const target = dbs.find((d) => d.id === db);
      expect(target?.scaling_groups?.[0]?.id).toBe(group);
      expect(target?.host_id).toBe(host);
    }
  });

  it('lists enclosing group instances innermost first for nested groups', () => {
    const nodes = planNodes([{ id: 'vm', host: true }, { id: 'ip' }]);
    const groups = { outer: scalingGroup(['inner', 'ip'], 2), inner: scalingGroup(['vm'], 3) };
    const instances = generateNodeInstances(nodes, groups, { newId: sequentialIds() });
    const vms = instancesOf(instances, 'vm');
    expect(vms).toHaveLength(6);
    expect(instancesOf(instances, 'ip')).toHaveLength(2);
    for (const vm of vms) {
      expect(vm.scaling_groups?.map((g) => g.name)).toEqual(['inner', 'outer']);
    }
    expect(new Set(vms.map((vm) => vm.scaling_groups?.[1]?.id)).size).toBe(2);
  });

  it('follows Cloudify on groups whose members are contained in members of enclosing groups', () => {
    // Cloudify's group_with_some_random_connections: group3 leaves group1 because db (in group3)
    // lives in host1 (in group2, inside group1); group3 is multiplied per host1 instance instead.
    const nodes = planNodes([
      { id: 'host1', host: true, instances: 2 },
      { id: 'host2', host: true, instances: 2 },
      { id: 'db', containedIn: 'host1', instances: 2 },
      { id: 'db_c', containedIn: 'host1', connectedTo: ['db'], instances: 2 },
    ]);
    const groups = {
      group1: scalingGroup(['group2', 'group3', 'host2'], 2),
      group2: scalingGroup(['host1'], 2),
      group3: scalingGroup(['db', 'db_c'], 2),
    };
    const instances = generateNodeInstances(nodes, groups, { newId: sequentialIds() });
    const count = (node: string): number => instancesOf(instances, node).length;
    expect([count('host1'), count('host2'), count('db'), count('db_c')]).toEqual([8, 4, 32, 32]);
    for (const dbC of instancesOf(instances, 'db_c')) {
      // Within a group3 instance: 2 db_c all_to_all to its 2 dbs.
      expect(targetsOf(dbC, 'db')).toHaveLength(2);
      expect(dbC.scaling_groups?.map((g) => g.name)).toEqual(['group3']);
    }
  });

  it('gives zero instances to nodes planned at 0 and to everything inside them', () => {
    const nodes = planNodes([
      { id: 'host', host: true, instances: 0 },
      { id: 'app', containedIn: 'host', connectedTo: ['db'] },
      { id: 'db' },
    ]);
    const instances = generateNodeInstances(nodes, {}, { newId: sequentialIds() });
    expect(instances.map((i) => i.node_id)).toEqual(['db']);
  });

  describe('validation', () => {
    const nodes = planNodes([
      { id: 'host', host: true },
      { id: 'other', host: true },
      { id: 'app', containedIn: 'host' },
      { id: 'web', containedIn: 'other' },
    ]);
    const code = (run: () => unknown): number | undefined => {
      try {
        run();
      } catch (error) {
        if (error instanceof DslError) return error.code;
        throw error;
      }
      return undefined;
    };

    it('rejects a member of two groups that do not nest (201)', () => {
      const groups = { a: scalingGroup(['host']), b: scalingGroup(['host']) };
      expect(code(() => generateNodeInstances(nodes, groups))).toBe(201);
    });

    it('rejects group cycles (200)', () => {
      const groups = { a: scalingGroup(['b']), b: scalingGroup(['a']) };
      expect(code(() => generateNodeInstances(nodes, groups))).toBe(200);
    });

    it('rejects members contained in different nodes sharing a group (202)', () => {
      const groups = { a: scalingGroup(['app', 'web']) };
      expect(code(() => generateNodeInstances(nodes, groups))).toBe(202);
    });

    it('rejects all_to_one inside a group', () => {
      const grouped = planNodes([
        { id: 'a', connectedTo: [{ target: 'b', connectionType: 'all_to_one' }] },
        { id: 'b' },
      ]);
      expect(() => generateNodeInstances(grouped, { g: scalingGroup(['a', 'b']) })).toThrow(
        /all_to_one/,
      );
    });

    it('rejects an unknown connection_type', () => {
      const bad = planNodes([
        { id: 'a', connectedTo: [{ target: 'b', connectionType: 'some_to_some' }] },
        { id: 'b' },
      ]);
      expect(() => generateNodeInstances(bad, {})).toThrow(DslError);
    });
  });

  it('generates 5,000 hosts with an app each, connected to one db, well under a second', () => {
    const nodes = planNodes([
      { id: 'host', host: true, instances: 5000 },
      {
        id: 'app',
        containedIn: 'host',
        connectedTo: [{ target: 'db', connectionType: 'all_to_one' }],
      },
      { id: 'db' },
    ]);
    const started = performance.now();
    const instances = generateNodeInstances(nodes, {});
    const elapsed = performance.now() - started;
    expect(instances).toHaveLength(10001);
    expect(elapsed).toBeLessThan(1000);
  });
});
