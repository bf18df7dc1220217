import { Client } from 'pg';
import { loadConfig } from '@nestify/config';
import { createMessageBus, MessageBus } from '@nestify/messaging';
import { openDatabase } from '@nestify/model';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase, requireRealPostgres } from '../support/database';
import { freePort, waitFor } from '../support/processes';
import { createTestVhost, requireRealRabbit } from '../support/rabbitmq';
import {
  itemFor,
  metricValue,
  publishItems,
  startBridgeProcess,
  storedCounts,
  Target,
  TcpProxy,
} from './bridge-support';

const live = requireRealPostgres() && requireRealRabbit();

/**
 * The bridge as a process of its own, reaching PostgreSQL through a TCP proxy: killed with
 * SIGKILL mid-stream and restarted, then cut off from the database for a few seconds — every
 * message published is stored exactly once all the same.
 */
(live ? describe : describe.skip)('logstash-bridge faults', () => {
  let bus: MessageBus;
  let db: Client;
  let target: Target;
  let proxy: TcpProxy;
  let env: Record<string, string>;
  let metricsPort: number;
  let bridge: ReturnType<typeof startBridgeProcess> | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  const metricsPage = async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();

  const startBridge = async () => {
    bridge = startBridgeProcess(env);
    const running = bridge;
    await waitFor(
      'the bridge consuming',
      async () => (/consuming cloudify-events/.test(running.output()) ? true : undefined),
      120_000,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${running.output()}`);
    });
  };
  const stopBridge = async (signal: NodeJS.Signals) => {
    const running = bridge;
    bridge = undefined;
    if (!running || running.child.exitCode !== null) return;
    running.child.kill(signal);
    await running.exited;
  };

  /** Publishes items n in [from, to), as single messages (the slowest way, the most acks). */
  const publishRange = async (from: number, to: number) => {
    const confirms: Promise<void>[] = [];
    for (let n = from; n < to; n++) confirms.push(publishItems(bus, target, itemFor(target, n)));
    await Promise.all(confirms);
  };

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const config = loadConfig({ DATABASE_URL: database.url, AMQP_URL: vhost.url });
    // Migrate and add the execution before the bridge starts (it reaches the database by proxy).
    const handle = await openDatabase(config);
    const execution = await new Fixtures(handle.dataSource.manager).execution(null);
    await handle.close();
    target = { executionId: execution.id, tenantName: 'default_tenant', deploymentId: null };

    const databaseUrl = new URL(database.url);
    proxy = new TcpProxy(await freePort(), {
      host: databaseUrl.hostname,
      port: Number(databaseUrl.port || 5432),
    });
    await proxy.start();
    cleanups.push(() => proxy.cut());
    databaseUrl.host = `127.0.0.1:${proxy.port}`;
    metricsPort = await freePort();
    env = {
      DATABASE_URL: databaseUrl.toString(),
      AMQP_URL: vhost.url,
      BRIDGE_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'info',
    };
    bus = await createMessageBus(config.messaging);
    cleanups.push(() => bus.close());
    db = new Client({ connectionString: database.url });
    await db.connect();
    cleanups.push(() => db.end());
  });

  afterAll(async () => {
    await stopBridge('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('stores everything exactly once across a kill -9 and a restart mid-stream', async () => {
    const total = 30_000;
    await startBridge();
    const published = publishRange(0, total);
    await waitFor(
      'part of the stream stored',
      async () => ((await storedCounts(db)).rows >= 3_000 ? true : undefined),
      60_000,
      20,
    );
    await stopBridge('SIGKILL');
    const atKill = (await storedCounts(db)).rows;
    expect(atKill).toBeLessThan(total);
    await published;
    await startBridge();
    await waitFor(
      'the whole stream stored',
      async () => ((await storedCounts(db)).rows === total ? true : undefined),
      120_000,
      250,
    );
    expect(await storedCounts(db)).toEqual({ rows: total, distinct: total });
  }, 300_000);

  it('pauses while the database is unreachable and loses nothing when it is back', async () => {
    const before = (await storedCounts(db)).rows;
    const count = 20_000;
    const published = publishRange(100_000, 100_000 + count);
    await waitFor(
      'part of the stream stored',
      async () => ((await storedCounts(db)).rows >= before + 2_000 ? true : undefined),
      60_000,
      20,
    );
    await proxy.cut();
    await published;
    const duringOutage = (await storedCounts(db)).rows;
    await waitFor('a failed batch', async () =>
      metricValue(await metricsPage(), 'nestify_bridge_failed_batches_total') > 0
        ? true
        : undefined,
    );
    // Down for a few seconds: nothing can be written meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect((await storedCounts(db)).rows).toBe(duringOutage);
    await proxy.start();
    await waitFor(
      'the whole stream stored',
      async () => ((await storedCounts(db)).rows === before + count ? true : undefined),
      120_000,
      250,
    );
    expect(await storedCounts(db)).toEqual({ rows: before + count, distinct: before + count });
    expect(bridge?.child.exitCode).toBeNull();
  }, 300_000);
});
