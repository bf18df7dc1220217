import { DSL_ERROR_CODES, DslError } from '../errors';
import { PlanNode, ScalingGroup } from '../plan/plan-types';
import { containedInRelationship } from './relationship-kinds';

/**
 * Checks scaling groups the way Cloudify's parser does and returns them with the members that
 * cannot scale on their own taken out (a copy; the input is left alone):
 * - no group may (recursively) be a member of itself (code 200);
 * - a node or group is a member of one group at most (201) — nested groups are expressed by
 *   making the inner group a member of the outer one;
 * - members sharing a group must be contained in a shared node, or be uncontained (202);
 * - a member contained (recursively) in a node that shares one of its groups already scales
 *   with that node, so it is removed from the group where the two meet.
 * Running it on its own output changes nothing.
 */
export function normalizeScalingGroups(
  nodes: readonly PlanNode[],
  scalingGroups: Record<string, ScalingGroup>,
): Record<string, ScalingGroup> {
  const containerOf = containersByNode(nodes);
  checkNames(containerOf, scalingGroups);
  const groupsOfMember = membership(scalingGroups);
  checkNoGroupCycles(scalingGroups, groupsOfMember);
  checkOneGroupPerMember(groupsOfMember);
  const directGroup = new Map<string, string>();
  for (const [member, groups] of groupsOfMember) directGroup.set(member, groups[0]);
  const chains = new GroupChains(directGroup);
  checkSharedContainers(scalingGroups, containerOf);
  return withoutContainedMembers(scalingGroups, containerOf, chains);
}

/** node id → the node it is contained in (absent when it is not contained). */
function containersByNode(nodes: readonly PlanNode[]): Map<string, string | null> {
  const result = new Map<string, string | null>();
  for (const node of nodes) {
    result.set(node.id, containedInRelationship(node)?.relationship.target_id ?? null);
  }
  return result;
}

function checkNames(
  containerOf: Map<string, string | null>,
  scalingGroups: Record<string, ScalingGroup>,
): void {
  for (const [name, group] of Object.entries(scalingGroups)) {
    if (containerOf.has(name)) {
      throw new DslError(`Group '${name}' has the same name as a node template`, {
        code: DSL_ERROR_CODES.groupAndNodeSameName,
        path: ['groups', name],
      });
    }
    group.members.forEach((member, index) => {
      if (!containerOf.has(member) && !(member in scalingGroups)) {
        throw new DslError(
          `Member '${member}' of group '${name}' is neither a node template nor a group`,
          { path: ['groups', name, 'members', index] },
        );
      }
    });
  }
}

/** member → the groups listing it, in the order of the groups. */
function membership(scalingGroups: Record<string, ScalingGroup>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [name, group] of Object.entries(scalingGroups)) {
    for (const member of new Set(group.members)) {
      const groups = result.get(member) ?? [];
      groups.push(name);
      result.set(member, groups);
    }
  }
  return result;
}

function checkNoGroupCycles(
  scalingGroups: Record<string, ScalingGroup>,
  groupsOfMember: Map<string, string[]>,
): void {
  const done = new Set<string>();
  const onPath = new Set<string>();
  const visit = (group: string, path: string[]): void => {
    if (done.has(group)) return;
    if (onPath.has(group)) {
      const cycle = [...path.slice(path.indexOf(group)), group];
      throw new DslError(`Illegal group cycle: ${cycle.join(' -> ')}`, {
        code: DSL_ERROR_CODES.groupCycle,
        path: ['groups', group, 'members'],
      });
    }
    onPath.add(group);
    for (const outer of groupsOfMember.get(group) ?? []) visit(outer, [...path, group]);
    onPath.delete(group);
    done.add(group);
  };
  for (const group of Object.keys(scalingGroups)) visit(group, []);
}

function checkOneGroupPerMember(groupsOfMember: Map<string, string[]>): void {
  for (const [member, groups] of groupsOfMember) {
    if (groups.length > 1) {
      throw new DslError(
        `Nodes and groups cannot be members of several groups, but '${member}' is a member of ` +
          `${groups.map((g) => `'${g}'`).join(', ')}`,
        { code: DSL_ERROR_CODES.nodeInSeveralGroups, path: ['groups', groups[1], 'members'] },
      );
    }
  }
}

/** Groups enclosing a member, innermost first (each member has one direct group at most). */
class GroupChains {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly directGroup: Map<string, string>) {}

  of(member: string): string[] {
    const cached = this.cache.get(member);
    if (cached) return cached;
    const chain: string[] = [];
    for (let group = this.directGroup.get(member); group; group = this.directGroup.get(group)) {
      chain.push(group);
    }
    this.cache.set(member, chain);
    return chain;
  }

  isMember(name: string): boolean {
    return this.directGroup.has(name);
  }
}

/** The nodes that contain `node`, nearest first (the node itself excluded). */
function containersOf(node: string, containerOf: Map<string, string | null>): string[] {
  const result: string[] = [];
  const seen = new Set([node]);
  for (let next = containerOf.get(node); next; next = containerOf.get(next)) {
    // A contained_in cycle is reported where relationships are checked; stop walking it here.
    if (seen.has(next)) break;
    seen.add(next);
    result.push(next);
  }
  return result;
}

/** Every node inside each group, through nested groups. */
function nodeMembersByGroup(
  scalingGroups: Record<string, ScalingGroup>,
  containerOf: Map<string, string | null>,
): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const collect = (group: string): Set<string> => {
    const known = result.get(group);
    if (known) return known;
    const members = new Set<string>();
    result.set(group, members);
    for (const member of scalingGroups[group].members) {
      if (containerOf.has(member)) members.add(member);
      else for (const inner of collect(member)) members.add(inner);
    }
    return members;
  };
  for (const group of Object.keys(scalingGroups)) collect(group);
  return result;
}

/**
 * Two nodes may scale together only if they can be placed together: both uncontained, one inside
 * the other, inside a shared node — or, failing that, one of them sits next to a container of
 * the other in a way that is itself fine.
 */
function checkSharedContainers(
  scalingGroups: Record<string, ScalingGroup>,
  containerOf: Map<string, string | null>,
): void {
  const containers = new Map<string, string[]>();
  const containersCached = (node: string): string[] => {
    let result = containers.get(node);
    if (!result) {
      result = containersOf(node, containerOf);
      containers.set(node, result);
    }
    return result;
  };
  const pairKey = (a: string, b: string): string => (a < b ? `${a}\0${b}` : `${b}\0${a}`);
  const fine = (a: string, b: string): boolean => {
    if (a === b) return true;
    const ofA = containersCached(a);
    const ofB = containersCached(b);
    if (ofA.length === 0 && ofB.length === 0) return true;
    if (ofA.includes(b) || ofB.includes(a)) return true;
    return ofA.some((c) => ofB.includes(c));
  };

  const okPairs = new Set<string>();
  const problems = new Map<string, [string, string]>();
  for (const members of nodeMembersByGroup(scalingGroups, containerOf).values()) {
    const list = [...members];
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const key = pairKey(list[i], list[j]);
        if (okPairs.has(key) || problems.has(key)) continue;
        if (fine(list[i], list[j])) okPairs.add(key);
        else problems.set(key, [list[i], list[j]]);
      }
    }
  }

  // A problematic pair is acceptable when one node pairs well with a container of the other.
  // Accepting one pair can make another acceptable, so repeat until nothing changes.
  const rescued = (a: string, b: string): boolean =>
    [a, ...containersCached(a)].some((c) => okPairs.has(pairKey(b, c))) ||
    [b, ...containersCached(b)].some((c) => okPairs.has(pairKey(a, c)));
  let changed = true;
  while (changed && problems.size > 0) {
    changed = false;
    for (const [key, [a, b]] of problems) {
      if (rescued(a, b)) {
        okPairs.add(key);
        problems.delete(key);
        changed = true;
      }
    }
  }
  const first = problems.values().next();
  if (!first.done) {
    const [a, b] = first.value;
    throw new DslError(
      `Nodes '${a}' and '${b}' share a group but are not contained in a shared node, ` +
        `and neither is any node containing them`,
      { code: DSL_ERROR_CODES.nonContainedGroupMembers, path: ['groups'] },
    );
  }
}

/**
 * Where a member and a node containing it share a group, the member already scales with its
 * container: the member leaves the group they meet in if it is a direct member there, otherwise
 * the outermost of its own groups below that meeting point leaves it.
 */
function withoutContainedMembers(
  scalingGroups: Record<string, ScalingGroup>,
  containerOf: Map<string, string | null>,
  chains: GroupChains,
): Record<string, ScalingGroup> {
  const removals = new Map<string, Set<string>>();
  for (const member of containerOf.keys()) {
    if (!chains.isMember(member)) continue;
    const memberChain = [member, ...chains.of(member)];
    for (const container of containersOf(member, containerOf)) {
      if (!chains.isMember(container)) continue;
      const containerGroups = new Set(chains.of(container));
      const meeting = memberChain.find((g) => g !== member && containerGroups.has(g));
      if (!meeting) continue;
      // The chain runs inner → outer, so the element just below the meeting group is the
      // outermost one not shared with the container (the member itself when directly inside).
      const leaving = memberChain[memberChain.indexOf(meeting) - 1];
      const set = removals.get(meeting) ?? new Set<string>();
      set.add(leaving);
      removals.set(meeting, set);
    }
  }
  const result: Record<string, ScalingGroup> = {};
  for (const [name, group] of Object.entries(scalingGroups)) {
    const removed = removals.get(name);
    result[name] = {
      ...group,
      members: removed ? group.members.filter((m) => !removed.has(m)) : [...group.members],
    };
  }
  return result;
}
