import fc from 'fast-check';
import { PlanNodeInstance } from '../plan/plan-types';
import { generateNodeInstances, modifyDeployment } from './index';
import { CONTAINED_IN } from './relationship-kinds';
import { NodeSpec, instancesOf, planNodes, sequentialIds } from './test-fixtures';

interface Forest {
  specs: NodeSpec[];
  connections: { source: string; target: string; kind: 'all_to_all' | 'all_to_one' }[];
}

/**
 * Random forests: node i may be contained in an earlier node (so no cycles), any node may be a
 * host, and there is at most one connected_to per ordered pair of distinct nodes.
 */
const forests: fc.Arbitrary<Forest> = fc
  .integer({ min: 1, max: 7 })
  .chain((size) =>
    fc.record({
      nodes: fc.tuple(
        ...Array.from({ length: size }, (_, i) =>
          fc.record({
            instances: fc.integer({ min: 0, max: 4 }),
            host: fc.boolean(),
            container: i === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: i - 1 }),
          }),
        ),
      ),
      edges: fc.uniqueArray(
        fc.record({
          source: fc.integer({ min: 0, max: size - 1 }),
          target: fc.integer({ min: 0, max: size - 1 }),
          kind: fc.constantFrom('all_to_all' as const, 'all_to_one' as const),
        }),
        { selector: (edge) => `${edge.source}-${edge.target}`, maxLength: 8 },
      ),
    }),
  )
  .map(({ nodes, edges }) => {
    const name = (i: number): string => `n${i}`;
    const connections = edges
      .filter((edge) => edge.source !== edge.target)
      .map((edge) => ({ source: name(edge.source), target: name(edge.target), kind: edge.kind }));
    const specs: NodeSpec[] = nodes.map((node, i) => ({
      id: name(i),
      instances: node.instances,
      host: node.host,
      containedIn: node.container >= 0 ? name(node.container) : undefined,
      connectedTo: connections
        .filter((c) => c.source === name(i))
        .map((c) => ({ target: c.target, connectionType: c.kind })),
    }));
    return { specs, connections };
  })
  // Deep chains of 4s multiply fast and all_to_all squares that: keep runs small and quick.
  .filter(
    ({ specs }) => specs.reduce((sum, spec) => sum + expectedCount(specs, spec.id), 0) <= 300,
  );

/** Instances of a node = product of the instance counts along its contained_in chain. */
function expectedCount(
  specs: NodeSpec[],
  id: string,
  override: Record<string, number> = {},
): number {
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  let product = 1;
  for (let at = byId.get(id); at; at = at.containedIn ? byId.get(at.containedIn) : undefined) {
    product *= override[at.id] ?? at.instances ?? 1;
  }
  return product;
}

function containerTargets(instance: PlanNodeInstance): string[] {
  return instance.relationships.filter((r) => r.type === CONTAINED_IN).map((r) => r.target_id);
}

describe('node-instance generation properties', () => {
  it('multiplies along contained_in, keeps host chains consistent and links connections right', () => {
    fc.assert(
      fc.property(forests, ({ specs, connections }) => {
        const nodes = planNodes(specs);
        const instances = generateNodeInstances(nodes, {});
        const byId = new Map(instances.map((instance) => [instance.id, instance]));
        const specOf = new Map(specs.map((spec) => [spec.id, spec]));

        // Ids: unique and <node>_<6 chars>.
        expect(byId.size).toBe(instances.length);
        for (const instance of instances) {
          expect(instance.id.startsWith(`${instance.node_id}_`)).toBe(true);
          expect(instance.id.slice(instance.node_id.length + 1)).toMatch(/^[a-z0-9]{6}$/);
        }

        for (const spec of specs) {
          expect(instancesOf(instances, spec.id)).toHaveLength(expectedCount(specs, spec.id));
        }

        for (const instance of instances) {
          const spec = specOf.get(instance.node_id);
          const containers = containerTargets(instance);
          expect(containers).toHaveLength(spec?.containedIn ? 1 : 0);
          if (spec?.containedIn) {
            expect(byId.get(containers[0])?.node_id).toBe(spec.containedIn);
          }
          // host_id: the instance of the node's host, found by climbing contained_in.
          const node = nodes.find((n) => n.id === instance.node_id);
          let expectedHost: string | null = null;
          for (
            let at: PlanNodeInstance | undefined = instance;
            at;
            at = byId.get(containerTargets(at)[0] ?? '')
          ) {
            if (at.node_id === node?.host_id) {
              expectedHost = at.id;
              break;
            }
          }
          expect(instance.host_id).toBe(expectedHost);
        }

        for (const { source, target, kind } of connections) {
          const targetIds = instancesOf(instances, target)
            .map((i) => i.id)
            .sort();
          const sources = instancesOf(instances, source);
          const linked = sources.map((s) =>
            s.relationships
              .filter((r) => r.target_name === target && r.type !== CONTAINED_IN)
              .map((r) => r.target_id),
          );
          if (targetIds.length === 0) {
            for (const list of linked) expect(list).toEqual([]);
          } else if (kind === 'all_to_all') {
            for (const list of linked) expect([...list].sort()).toEqual(targetIds);
          } else {
            const chosen = new Set(linked.flat());
            expect(chosen.size).toBe(sources.length === 0 ? 0 : 1);
            for (const list of linked) expect(list).toHaveLength(1);
            for (const id of chosen) expect(targetIds).toContain(id);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('modifications add and remove exactly what the new counts require', () => {
    fc.assert(
      fc.property(
        forests,
        fc.nat(),
        fc.integer({ min: 0, max: 4 }),
        ({ specs }, pick, newCount) => {
          const nodes = planNodes(specs);
          const previous = generateNodeInstances(nodes, {}, { newId: sequentialIds() });
          const scaled = specs[pick % specs.length].id;
          const result = modifyDeployment({
            nodes,
            previousNodeInstances: previous,
            modifiedNodes: { [scaled]: { instances: newCount } },
            scalingGroups: {},
          });
          const previousIds = new Set(previous.map((i) => i.id));
          const added = result.added_and_related.filter((i) => i.modification === 'added');
          const removed = result.removed_and_related.filter((i) => i.modification === 'removed');
          for (const instance of added) expect(previousIds.has(instance.id)).toBe(false);
          for (const instance of removed) expect(previousIds.has(instance.id)).toBe(true);
          for (const instance of [...result.added_and_related, ...result.removed_and_related]) {
            if (!instance.modification) expect(previousIds.has(instance.id)).toBe(true);
          }
          const removedIds = new Set(removed.map((i) => i.id));
          const after = [...previous.filter((i) => !removedIds.has(i.id)), ...added];
          for (const spec of specs) {
            expect(instancesOf(after, spec.id)).toHaveLength(
              expectedCount(specs, spec.id, { [scaled]: newCount }),
            );
          }
          // A scale-out never removes and a scale-in never adds.
          expect(added.length === 0 || removed.length === 0).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
