import { createTestDatabase } from '../support/database';
import { createTestVhost } from '../support/rabbitmq';
import {
  builtMain,
  cleanEnvironment,
  freePort,
  getJson,
  RunningProcess,
  startNode,
  waitFor,
} from '../support/processes';
import { basic } from '../support/rest-users';

/** The bootstrap admin with the default ADMIN_PASSWORD: /status needs credentials. */
const ADMIN = { Authorization: basic('admin', 'admin') };

interface Status {
  status: string;
  services: Record<
    string,
    { status: string; is_remote: boolean; extra_info: Record<string, unknown> }
  >;
}

/**
 * Process mode: each app is its own OS process against real PostgreSQL and RabbitMQ. The workers
 * start together (racing for migrations) and the REST service sees all of them through heartbeats.
 */
describe('the four apps as separate processes on real servers', () => {
  const processes: RunningProcess[] = [];
  let dropDatabase: () => Promise<void> = async () => undefined;
  let dropVhost: () => Promise<void> = async () => undefined;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await dropDatabase();
    await dropVhost();
  });

  it('boot separately, migrate once and all report Active in /status', async () => {
    const database = await createTestDatabase();
    dropDatabase = database.drop;
    const vhost = await createTestVhost();
    dropVhost = vhost.drop;
    const port = await freePort();
    const env = cleanEnvironment({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      PORT: String(port),
      HEARTBEAT_INTERVAL_MS: '300',
    });

    // Workers first and all at once: they must not trip over each other's migrations.
    for (const app of ['mgmtworker', 'logstash-bridge', 'riemann-policy', 'rest-service']) {
      processes.push(startNode(builtMain(app), env));
    }
    const output = () => processes.map((p) => p.output()).join('\n');

    const status = (await waitFor(
      'every app Active',
      async () => {
        const report = (await getJson(`http://127.0.0.1:${port}/api/v3.1/status`, 200, ADMIN)) as
          Status | undefined;
        return report?.status === 'OK' ? report : undefined;
      },
      60000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${output()}`);
    })) as Status;

    expect(status.services.PostgreSQL).toMatchObject({ status: 'Active', is_remote: true });
    expect(status.services.RabbitMQ).toMatchObject({ status: 'Active', is_remote: true });
    for (const app of ['Management Worker', 'Logstash Bridge', 'Riemann Policy Engine']) {
      expect(status.services[app].status).toBe('Active');
      expect(status.services[app].extra_info.instances).toHaveLength(1);
    }

    // A worker that stops is reported Inactive once its heartbeats stop (three missed beats).
    const mgmtworker = processes[0];
    expect(await mgmtworker.stop()).toBe(0);
    const degraded = (await waitFor('mgmtworker Inactive', async () => {
      const report = (await getJson(
        `http://127.0.0.1:${port}/api/v3.1/status`,
        200,
        ADMIN,
      )) as Status;
      return report.status === 'Degraded' ? report : undefined;
    })) as Status;
    expect(degraded.services['Management Worker'].status).toBe('Inactive');

    for (const p of processes.slice(1)) expect(await p.stop()).toBe(0);
  });
});
