import { EWMA_STABILIZED } from '../types/ewma.type';
import { HOST_FAILURE } from '../types/host-failure.type';
import { THRESHOLD } from '../types/threshold.type';
import { Firing, PolicyEngine } from './policy-engine';
import { metric, planWith } from './test-plans';

const T0 = 1_700_000_000;

function engineWith(type: string, properties: object) {
  const firings: Firing[] = [];
  const errors: string[] = [];
  const engine = new PolicyEngine({
    onFiring: (firing) => firings.push(firing),
    onLoadError: ({ error }) => errors.push(error.message),
  });
  engine.load(planWith(type, properties as never));
  return { engine, firings, errors };
}

/** Feeds values one second apart, `now` at each value's own time. */
function feed(engine: PolicyEngine, values: number[], start = T0, overrides = {}) {
  values.forEach((value, i) =>
    engine.observe(metric(start + i, value, overrides), (start + i) * 1000),
  );
}

describe('threshold', () => {
  const properties = { service: 'cpu.total.user', threshold: 80, stability_time: 3 };

  it('fires once when the value stays at or above the threshold for stability_time', () => {
    const { engine, firings } = engineWith(THRESHOLD, properties);
    feed(engine, [90, 85, 80]);
    expect(firings).toHaveLength(0);
    feed(engine, [95, 99, 99, 99], T0 + 3);
    expect(firings).toHaveLength(1);
    expect(firings[0].breach).toMatchObject({
      diagnose: 'threshold-breached',
      metric: { time: T0 + 3 },
    });
    expect(firings[0].targetKey).toBe('t/d/g/p/vm_1');
  });

  it('never fires on noise that dips below the threshold within the window', () => {
    const { engine, firings } = engineWith(THRESHOLD, properties);
    feed(engine, [90, 95, 70, 90, 92, 50, 99, 99, 10, 85]);
    expect(firings).toHaveLength(0);
  });

  it('fires again only after the value went back inside', () => {
    const { engine, firings } = engineWith(THRESHOLD, { ...properties, stability_time: 0 });
    feed(engine, [90, 90, 10, 90]);
    expect(firings).toHaveLength(2);
  });

  it('with upper_bound false fires at or below the threshold', () => {
    const { engine, firings } = engineWith(THRESHOLD, {
      ...properties,
      upper_bound: false,
      stability_time: 0,
    });
    feed(engine, [90, 80]);
    expect(firings).toHaveLength(1);
  });

  it('ignores other services, other nodes, repeats and values already expired', () => {
    const { engine, firings } = engineWith(THRESHOLD, { ...properties, stability_time: 0 });
    expect(engine.observe(metric(T0, 99, { service: 'memory.used' }), T0 * 1000)).toBe(false);
    expect(engine.observe(metric(T0, 99, { nodeName: 'db' }), T0 * 1000)).toBe(false);
    expect(engine.observe(metric(T0, 99), (T0 + 60) * 1000)).toBe(true);
    expect(engine.observe(metric(T0, 99), T0 * 1000)).toBe(false);
    expect(firings).toHaveLength(0);
  });

  it('keeps one state per instance, or one for the group', () => {
    const apart = engineWith(THRESHOLD, { ...properties, stability_time: 1 });
    apart.engine.observe(metric(T0, 90, { nodeInstanceId: 'vm_1' }), T0 * 1000);
    apart.engine.observe(metric(T0 + 1, 90, { nodeInstanceId: 'vm_2' }), (T0 + 1) * 1000);
    expect(apart.firings).toHaveLength(0);
    const grouped = engineWith(THRESHOLD, {
      ...properties,
      stability_time: 1,
      policy_operates_on_group: true,
    });
    grouped.engine.observe(metric(T0, 90, { nodeInstanceId: 'vm_1' }), T0 * 1000);
    grouped.engine.observe(metric(T0 + 1, 90, { nodeInstanceId: 'vm_2' }), (T0 + 1) * 1000);
    expect(grouped.firings.map((f) => f.targetKey)).toEqual(['t/d/g/p/*']);
  });

  it('refuses a policy without a numeric threshold, and an unknown type', () => {
    expect(engineWith(THRESHOLD, { service: 'x' }).errors[0]).toMatch(/threshold/);
    expect(engineWith('my.own.type', {}).errors[0]).toMatch(/no implementation registered/);
  });
});

describe('ewma_stabilized', () => {
  it('does not fire on one spike but fires on a trend', () => {
    const { engine, firings } = engineWith(EWMA_STABILIZED, {
      service: 'cpu.total.user',
      threshold: 80,
      ewma_timeless_r: 0.5,
    });
    feed(engine, [10, 100, 10]);
    expect(firings).toHaveLength(0);
    feed(engine, [100, 100, 100], T0 + 3);
    expect(firings).toHaveLength(1);
    expect(firings[0].breach.diagnose).toBe('ewma-threshold-breached');
  });
});

describe('host_failure', () => {
  const properties = { service: ['cpu.total.user'] };

  it('fires once per silent series after its ttl; a new value revives it', () => {
    const { engine, firings } = engineWith(HOST_FAILURE, properties);
    engine.observe(metric(T0, 1, { nodeInstanceId: 'vm_1' }), T0 * 1000);
    engine.observe(metric(T0, 1, { nodeInstanceId: 'vm_2' }), T0 * 1000);
    engine.observe(metric(T0 + 5, 1, { nodeInstanceId: 'vm_2' }), (T0 + 5) * 1000);
    engine.expire((T0 + 9) * 1000);
    expect(firings).toHaveLength(0);
    engine.expire((T0 + 11) * 1000);
    engine.expire((T0 + 12) * 1000);
    expect(firings.map((f) => f.breach.metric.nodeInstanceId)).toEqual(['vm_1']);
    expect(firings[0].breach.diagnose).toBe('heart-beat-failure');
    engine.observe(metric(T0 + 20, 1, { nodeInstanceId: 'vm_1' }), (T0 + 20) * 1000);
    engine.expire((T0 + 31) * 1000);
    expect(firings.map((f) => f.breach.metric.nodeInstanceId).sort()).toEqual([
      'vm_1',
      'vm_1',
      'vm_2',
    ]);
  });

  it('stops with its deployment', () => {
    const { engine, firings } = engineWith(HOST_FAILURE, properties);
    engine.observe(metric(T0, 1), T0 * 1000);
    engine.unload('t', 'd');
    engine.expire((T0 + 100) * 1000);
    expect(firings).toHaveLength(0);
    expect(engine.observe(metric(T0 + 1, 1), T0 * 1000)).toBe(false);
  });
});

describe('rebuild after a restart', () => {
  it('continues a sustained breach without firing what fired before', () => {
    const before = engineWith(THRESHOLD, {
      service: 'cpu.total.user',
      threshold: 80,
      stability_time: 4,
    });
    // Stored: a breach that fired already, then a new breach two seconds old.
    const stored = [90, 90, 90, 90, 90, 10, 90, 90].map((v, i) => metric(T0 + i, v));
    before.engine.rebuild(stored, (T0 + 8) * 1000);
    expect(before.firings).toHaveLength(0);
    feed(before.engine, [90], T0 + 9);
    expect(before.firings).toHaveLength(0);
    feed(before.engine, [90], T0 + 10);
    expect(before.firings).toHaveLength(1);
  });

  it('gives live host series a fresh ttl and treats long-silent ones as handled', () => {
    const { engine, firings } = engineWith(HOST_FAILURE, { service: ['cpu.total.user'] });
    const stored = [
      metric(T0, 1, { nodeInstanceId: 'vm_dead' }),
      metric(T0 + 30, 1, { nodeInstanceId: 'vm_live' }),
    ];
    const startMs = (T0 + 45) * 1000;
    engine.rebuild(stored, startMs);
    engine.expire(startMs);
    expect(firings).toHaveLength(0);
    engine.expire(startMs + 10_001);
    expect(firings.map((f) => f.breach.metric.nodeInstanceId)).toEqual(['vm_live']);
  });
});
