import { MessageBus } from '../bus/message-bus';
import { Heartbeat } from './heartbeat';
import { HeartbeatMonitor } from './heartbeat.monitor';

const beat = (app: string, extra: Partial<Heartbeat> = {}): Heartbeat => ({
  app,
  instance_id: `${app}-1`,
  host: 'h',
  pid: 1,
  sent_at: new Date(0).toISOString(),
  interval_ms: 1000,
  ...extra,
});

describe('HeartbeatMonitor', () => {
  let now = 0;
  const monitor = () => new HeartbeatMonitor({} as MessageBus, false, () => now);

  it('keeps an instance alive until three beats are missed', () => {
    const m = monitor();
    now = 10_000;
    m.record({ body: beat('mgmtworker') });
    now += 2_999;
    expect(m.liveApps()).toEqual([expect.objectContaining({ app: 'mgmtworker', alive: true })]);
    now += 2;
    expect(m.liveApps()).toEqual([expect.objectContaining({ app: 'mgmtworker', alive: false })]);
  });

  it('marks an instance that said it is stopping as not alive at once', () => {
    const m = monitor();
    m.record({ body: beat('logstash-bridge', { stopping: true }) });
    expect(m.liveApps()[0].alive).toBe(false);
  });

  it('forgets instances silent for ten minutes', () => {
    const m = monitor();
    m.record({ body: beat('riemann-policy') });
    now += 10 * 60 * 1000 + 1;
    expect(m.liveApps()).toEqual([]);
  });

  it('rejects bodies that are not heartbeats', () => {
    expect(() => monitor().record({ body: { app: 1 } })).toThrow();
  });
});
