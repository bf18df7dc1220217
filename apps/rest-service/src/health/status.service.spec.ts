import { loadConfig } from '@nestify/config';
import { HeartbeatMonitor, MessagingHealthService } from '@nestify/messaging';
import { DatabaseHealthService } from '@nestify/model';
import { StatusService } from './status.service';

type Beat = ReturnType<HeartbeatMonitor['liveApps']>[number];

function service(
  db: { ok: boolean; embedded: boolean },
  busOk: boolean,
  beats: Beat[],
): StatusService {
  const database = { ping: async () => db } as unknown as DatabaseHealthService;
  const messaging = {
    ping: async () => ({ ok: busOk, kind: 'amqp' as const }),
  } as unknown as MessagingHealthService;
  const monitor = { liveApps: () => beats } as unknown as HeartbeatMonitor;
  return new StatusService(loadConfig({}), database, messaging, monitor);
}

const beat = (app: string, alive = true): Beat => ({
  app,
  instance_id: `${app}-1`,
  last_seen: new Date().toISOString(),
  alive,
});

describe('StatusService', () => {
  const everyWorker = [beat('mgmtworker'), beat('logstash-bridge'), beat('riemann-policy')];

  it('is OK when storage, broker and every app are alive', async () => {
    const report = await service({ ok: true, embedded: false }, true, everyWorker).report();
    expect(report.status).toBe('OK');
    expect(report.services.PostgreSQL).toMatchObject({ status: 'Active', is_remote: true });
    expect(report.services.RabbitMQ).toMatchObject({ status: 'Active', is_remote: true });
    expect(report.services['Management Worker'].status).toBe('Active');
  });

  it('is Degraded when an app stopped sending heartbeats', async () => {
    const beats = [beat('mgmtworker', false), beat('logstash-bridge'), beat('riemann-policy')];
    const report = await service({ ok: true, embedded: true }, true, beats).report();
    expect(report.status).toBe('Degraded');
    expect(report.services['Management Worker'].status).toBe('Inactive');
    expect(report.services['Logstash Bridge'].status).toBe('Active');
  });

  it('fails when the database is down', async () => {
    const report = await service({ ok: false, embedded: false }, true, everyWorker).report();
    expect(report.status).toBe('Fail');
    expect(report.services.PostgreSQL.status).toBe('Inactive');
  });

  it('fails when the broker is down', async () => {
    const report = await service({ ok: true, embedded: false }, false, everyWorker).report();
    expect(report.status).toBe('Fail');
    expect(report.services.RabbitMQ.status).toBe('Inactive');
  });
});
