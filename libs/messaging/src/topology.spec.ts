import {
  agentTopology,
  CORE_TOPOLOGY,
  EXCHANGES,
  eventRoutingKey,
  mergeTopologies,
  metricRoutingKey,
  QUEUES,
} from './topology';

describe('topology', () => {
  it('declares every exchange and queue of the spec, work queues durable and dead-lettering', () => {
    expect(CORE_TOPOLOGY.exchanges.map((e) => `${e.name}:${e.type}`).sort()).toEqual([
      'cloudify-events-topic:topic',
      'cloudify-logs:fanout',
      'cloudify-monitoring:topic',
      'cloudify.management:direct',
      'nestify.dead-letter:fanout',
      'nestify.heartbeat:fanout',
    ]);
    for (const queue of CORE_TOPOLOGY.queues) {
      expect(queue.durable).toBe(true);
      expect(queue.deadLetter ?? false).toBe(queue.name !== QUEUES.deadLetter);
    }
    const bound = (name: string) => CORE_TOPOLOGY.queues.find((q) => q.name === name)?.bindings;
    expect(bound(QUEUES.workflows)).toEqual([
      { exchange: EXCHANGES.management, routingKey: 'workflow' },
    ]);
    expect(bound(QUEUES.events)).toEqual([{ exchange: EXCHANGES.events, routingKey: 'events.#' }]);
  });

  it('gives a host agent its own exchange with operation and service queues', () => {
    const agent = agentTopology('vm_abc123');
    expect(agent.queues.map((q) => [q.name, q.bindings[0].routingKey])).toEqual([
      ['vm_abc123_operation', 'operation'],
      ['vm_abc123_service', 'service'],
    ]);
  });

  it('builds routing keys whose fixed words cannot be split by dots in ids', () => {
    expect(eventRoutingKey('t', null, 'ex-1')).toBe('events.t.-.ex-1');
    expect(eventRoutingKey('t', 'my.dep', 'ex-1')).toBe('events.t.my_dep.ex-1');
    expect(metricRoutingKey('dep', 'vm', 'vm_1', 'cpu.total.user')).toBe(
      'dep.vm.vm_1.cpu.total.user',
    );
  });

  it('merges topologies without duplicates', () => {
    const merged = mergeTopologies(CORE_TOPOLOGY, CORE_TOPOLOGY, agentTopology('a'));
    expect(merged.queues).toHaveLength(CORE_TOPOLOGY.queues.length + 2);
    expect(merged.exchanges).toHaveLength(CORE_TOPOLOGY.exchanges.length + 1);
  });
});
