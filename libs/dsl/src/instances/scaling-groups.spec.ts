import { normalizeScalingGroups } from './index';
import { planNodes, scalingGroup } from './test-fixtures';

describe('normalizeScalingGroups', () => {
  it('takes a member out of a group it shares with its container', () => {
    const nodes = planNodes([
      { id: 'vm', host: true },
      { id: 'app', containedIn: 'vm' },
    ]);
    const groups = { pair: scalingGroup(['vm', 'app'], 2) };
    const normalized = normalizeScalingGroups(nodes, groups);
    expect(normalized.pair.members).toEqual(['vm']);
    expect(normalized.pair.properties).toEqual(groups.pair.properties);
    // The input is left alone, and normalizing again changes nothing.
    expect(groups.pair.members).toEqual(['vm', 'app']);
    expect(normalizeScalingGroups(nodes, normalized)).toEqual(normalized);
  });

  it('takes an inner group out of the group where its members meet their container', () => {
    const nodes = planNodes([
      { id: 'host1', host: true },
      { id: 'host2', host: true },
      { id: 'db', containedIn: 'host1' },
      { id: 'db_c', containedIn: 'host1' },
    ]);
    const groups = {
      group1: scalingGroup(['group2', 'group3', 'host2']),
      group2: scalingGroup(['host1']),
      group3: scalingGroup(['db', 'db_c']),
    };
    const normalized = normalizeScalingGroups(nodes, groups);
    expect(normalized.group1.members).toEqual(['group2', 'host2']);
    expect(normalized.group3.members).toEqual(['db', 'db_c']);
  });

  it('accepts members contained in a shared node', () => {
    const nodes = planNodes([
      { id: 'host', host: true },
      { id: 'a', containedIn: 'host' },
      { id: 'b', containedIn: 'host' },
    ]);
    expect(normalizeScalingGroups(nodes, { g: scalingGroup(['a', 'b']) }).g.members).toEqual([
      'a',
      'b',
    ]);
  });

  it('rejects a group named like a node and members that do not exist', () => {
    const nodes = planNodes([{ id: 'vm' }]);
    expect(() => normalizeScalingGroups(nodes, { vm: scalingGroup(['vm']) })).toThrow(/same name/);
    expect(() => normalizeScalingGroups(nodes, { g: scalingGroup(['nope']) })).toThrow(/neither/);
  });
});
