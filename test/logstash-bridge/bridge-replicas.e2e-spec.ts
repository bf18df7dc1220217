import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig, NestifyConfig } from '@nestify/config';
import { createMessageBus, MessageBus } from '@nestify/messaging';
import { startLogstashBridge } from '../../apps/logstash-bridge/src/logstash-bridge.app';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase, requireRealPostgres } from '../support/database';
import { freePort, waitFor } from '../support/processes';
import { createTestVhost, requireRealRabbit } from '../support/rabbitmq';
import { basic } from '../support/rest-users';
import { itemFor, metricValue, publishItems, storedCounts, Target } from './bridge-support';

const ADMIN_PASSWORD = 'admin-secret';
const live = requireRealPostgres() && requireRealRabbit();

const EXECUTIONS = 3;
const PER_EXECUTION = 6_700;
/** Items with n a multiple of this are published a second time, right behind the original. */
const DUPLICATE_EVERY = 40;
/** Items with n at or past this go out in lists of LIST_SIZE (one type per list). */
const LISTS_FROM = 5_000;
const LIST_SIZE = 50;
const BASE_TIME = Date.UTC(2026, 0, 1);

/** Three consecutive items share a millisecond (events and logs alike), so ties are common. */
const timestampOf = (n: number) => new Date(BASE_TIME + Math.floor(n / 3)).toISOString();

interface ListedItem {
  _storage_id: number;
  type: string;
  timestamp: string;
  message: string;
}

/**
 * Two bridge replicas (two app instances, each with its own AMQP connection, database pool and
 * metrics) consume the same events and logs queues: RabbitMQ splits the stream between them,
 * redeliveries racing across replicas are still stored once, and GET /events reads each
 * execution back in timestamp order, ties in storage-id order.
 */
(live ? describe : describe.skip)('logstash-bridge replicas', () => {
  let config: NestifyConfig;
  let rest: NestFastifyApplication;
  let bus: MessageBus;
  let db: Client;
  const replicaPorts: number[] = [];
  const targets: Target[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  const metricsPages = () =>
    Promise.all(
      replicaPorts.map(async (port) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
    );
  const getEvents = (query: string) =>
    request(rest.getHttpServer())
      .get(`/api/v3.1/events${query}`)
      .set('Authorization', basic('admin', ADMIN_PASSWORD))
      .set('Tenant', 'default_tenant');

  beforeAll(async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const env = {
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'error',
    };
    let first: INestApplication | undefined;
    // One after the other: the first migrates the fresh database.
    for (let replica = 0; replica < 2; replica++) {
      const port = await freePort();
      const replicaConfig = loadConfig({ ...env, BRIDGE_METRICS_PORT: String(port) });
      const app = await startLogstashBridge(replicaConfig);
      cleanups.push(() => app.close());
      replicaPorts.push(port);
      config ??= replicaConfig;
      first ??= app;
    }
    bus = await createMessageBus(config.messaging);
    cleanups.push(() => bus.close());
    db = new Client({ connectionString: database.url });
    await db.connect();
    cleanups.push(() => db.end());

    const f = new Fixtures(first!.get(DataSource).manager);
    const deployment = await f.deployment(undefined, 'web-dep');
    for (let e = 0; e < EXECUTIONS; e++) {
      const execution = await f.execution(e === 0 ? deployment : null);
      targets.push({
        executionId: execution.id,
        tenantName: 'default_tenant',
        deploymentId: e === 0 ? 'web-dep' : null,
      });
    }
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('splits the stream between replicas, stores each message once and reads it back in order', async () => {
    const items = targets.map((target) =>
      Array.from({ length: PER_EXECUTION }, (_, n) =>
        itemFor(target, n, { timestamp: timestampOf(n) }),
      ),
    );
    const total = EXECUTIONS * PER_EXECUTION;
    const publishes: Promise<void>[] = [];
    let messages = 0;
    let duplicates = 0;
    const publish = (target: Target, body: Parameters<typeof publishItems>[2]) => {
      messages++;
      publishes.push(publishItems(bus, target, body));
    };
    // Executions interleaved, as concurrent workflows would produce them.
    for (let n = 0; n < LISTS_FROM; n++) {
      for (let e = 0; e < EXECUTIONS; e++) {
        publish(targets[e], items[e][n]);
        // A redelivery a few messages behind its original: likely taken by the other replica.
        if (n % DUPLICATE_EVERY === 0) {
          publish(targets[e], items[e][n]);
          duplicates++;
        }
      }
    }
    for (let e = 0; e < EXECUTIONS; e++) {
      for (const type of ['cloudify_event', 'cloudify_log']) {
        const rest = items[e].slice(LISTS_FROM).filter((item) => item.type === type);
        for (let i = 0; i < rest.length; i += LIST_SIZE) {
          const list = rest.slice(i, i + LIST_SIZE);
          publish(targets[e], list);
          // Some lists are redelivered whole.
          if ((i / LIST_SIZE) % 4 === 0) {
            publish(targets[e], list);
            duplicates += list.length;
          }
        }
      }
    }
    await Promise.all(publishes);
    expect(duplicates).toBeGreaterThan(300);

    await waitFor(
      'all rows stored',
      async () => ((await storedCounts(db)).rows === total ? true : undefined),
      180_000,
      250,
    );
    // Every message has been taken and every redelivery skipped once the counters say so.
    const sum = (pages: string[], name: string) =>
      pages.reduce((acc, page) => acc + metricValue(page, name), 0);
    await waitFor('every message consumed and every duplicate counted', async () => {
      const pages = await metricsPages();
      return sum(pages, 'nestify_bridge_messages_consumed_total') === messages &&
        sum(pages, 'nestify_bridge_duplicates_total') === duplicates
        ? true
        : undefined;
    });

    // Exactly once, by message_id.
    expect(await storedCounts(db)).toEqual({ rows: total, distinct: total });
    const { rows: stored } = await db.query(
      `SELECT message_id::text, count(*)::int AS n FROM
         (SELECT message_id FROM events UNION ALL SELECT message_id FROM logs) o
        GROUP BY message_id`,
    );
    const published = new Set(items.flat().map((item) => item.message_id));
    expect(stored.filter((row: { n: number }) => row.n !== 1)).toEqual([]);
    expect(new Set(stored.map((row: { message_id: string }) => row.message_id))).toEqual(published);

    // Both replicas took part of the stream, and between them wrote each row once.
    const pages = await metricsPages();
    const consumed = pages.map((page) =>
      metricValue(page, 'nestify_bridge_messages_consumed_total'),
    );
    for (const count of consumed) expect(count).toBeGreaterThan(0);
    expect(sum(pages, 'nestify_bridge_rows_inserted_total')).toBe(total);

    rest = await createRestService(config);
    cleanups.push(() => rest.close());
    await rest.init();
    // Fastify answers only once its plugins are ready.
    await rest.getHttpAdapter().getInstance().ready();

    for (let e = 0; e < EXECUTIONS; e++) {
      const response = await getEvents(
        `?execution_id=${targets[e].executionId}&_size=10000`,
      ).expect(200);
      const listed: ListedItem[] = response.body.items;
      expect(response.body.metadata.pagination.total).toBe(PER_EXECUTION);
      expect(listed).toHaveLength(PER_EXECUTION);
      // Non-decreasing timestamps; ties by storage id (events and logs number their rows
      // separately, so an equal storage id falls back to the type).
      const outOfOrder = listed.filter((item, i) => {
        if (i === 0) return false;
        const previous = listed[i - 1];
        if (previous.timestamp !== item.timestamp) return previous.timestamp > item.timestamp;
        if (previous._storage_id !== item._storage_id)
          return previous._storage_id > item._storage_id;
        return previous.type > item.type;
      });
      expect(outOfOrder).toEqual([]);
      // The same messages that were published, each with its producer's timestamp.
      const expected = items[e]
        .map((item) => `${item.type} ${item.message.text} ${item.timestamp}`)
        .sort();
      const actual = listed.map((item) => `${item.type} ${item.message} ${item.timestamp}`).sort();
      expect(actual).toEqual(expected);
    }
  }, 300_000);
});
