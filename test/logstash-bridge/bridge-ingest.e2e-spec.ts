import { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig, NestifyConfig } from '@nestify/config';
import { createMessageBus, MessageBus } from '@nestify/messaging';
import { startLogstashBridge } from '../../apps/logstash-bridge/src/logstash-bridge.app';
import { EventsRetentionService } from '../../apps/logstash-bridge/src/retention/events-retention.service';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { Fixtures } from '../model/fixtures';
import { createTestDatabase, requireRealPostgres } from '../support/database';
import { freePort, waitFor } from '../support/processes';
import { createTestVhost, requireRealRabbit } from '../support/rabbitmq';
import { basic } from '../support/rest-users';
import {
  collectDeadLetters,
  itemFor,
  metricValue,
  publishItems,
  storedCounts,
  Target,
} from './bridge-support';

const ADMIN_PASSWORD = 'admin-secret';
const live = requireRealPostgres() && requireRealRabbit();

/**
 * The bridge on real RabbitMQ and PostgreSQL: what is published is stored exactly once and read
 * back through GET /events; bad messages are dead-lettered with their reason, never blocking the
 * good ones around them; committed batches are announced with NOTIFY; old rows are purged.
 */
(live ? describe : describe.skip)('logstash-bridge ingest', () => {
  let config: NestifyConfig;
  let rest: NestFastifyApplication;
  let bridge: INestApplication;
  let bus: MessageBus;
  let db: Client;
  let target: Target;
  let otherTenant: Target;
  const cleanups: Array<() => Promise<unknown>> = [];
  const metricsPage = async () =>
    (await fetch(`http://127.0.0.1:${config.events.metricsPort}/metrics`)).text();
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
    config = loadConfig({
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      LOG_LEVEL: 'error',
      BRIDGE_METRICS_PORT: String(await freePort()),
      EVENTS_RETENTION_DAYS: '30',
      EVENTS_RETENTION_CHUNK: '7',
    });
    bridge = await startLogstashBridge(config);
    cleanups.push(() => bridge.close());
    bus = await createMessageBus(config.messaging);
    cleanups.push(() => bus.close());
    db = new Client({ connectionString: database.url });
    await db.connect();
    cleanups.push(() => db.end());

    const f = new Fixtures(bridge.get(DataSource).manager);
    const deployment = await f.deployment(undefined, 'web-dep');
    await f.nodeInstance(await f.node(deployment, 'vm'), 'vm_abc123');
    const execution = await f.execution(deployment);
    target = { executionId: execution.id, tenantName: 'default_tenant', deploymentId: 'web-dep' };
    const tenant = await f.tenant();
    const foreign = await f.execution(null, { tenantId: tenant.id });
    otherTenant = { executionId: foreign.id, tenantName: tenant.name, deploymentId: null };
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('stores 50,000 events and logs exactly once, skipping redeliveries', async () => {
    const total = 50_000;
    const items = Array.from({ length: total }, (_, n) => itemFor(target, n));
    const publishes: Promise<void>[] = [];
    // Half as single messages, half as lists of 100 (a producer may batch); events and logs
    // travel separately, so group each list by type.
    for (let n = 0; n < total / 2; n++) publishes.push(publishItems(bus, target, items[n]));
    for (const type of ['cloudify_event', 'cloudify_log']) {
      const rest = items.slice(total / 2).filter((item) => item.type === type);
      for (let i = 0; i < rest.length; i += 100)
        publishes.push(publishItems(bus, target, rest.slice(i, i + 100)));
    }
    // Redeliveries: the first 1,000 once more.
    for (let n = 0; n < 1000; n++) publishes.push(publishItems(bus, target, items[n]));
    await Promise.all(publishes);

    await waitFor(
      'all rows stored',
      async () => ((await storedCounts(db)).rows === total ? true : undefined),
      120_000,
      250,
    );
    // Every redelivery has been seen (and skipped) once the duplicates counter says so.
    await waitFor('duplicates counted', async () =>
      metricValue(await metricsPage(), 'nestify_bridge_duplicates_total') === 1000
        ? true
        : undefined,
    );
    expect(await storedCounts(db)).toEqual({ rows: total, distinct: total });

    const metrics = await metricsPage();
    expect(metricValue(metrics, 'nestify_bridge_rows_inserted_total')).toBe(total);
    expect(metricValue(metrics, 'nestify_bridge_batch_seconds_count')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'nestify_bridge_messages_consumed_total')).toBe(
      total / 2 + total / 200 + 1000,
    );
  }, 180_000);

  it('serves what it stored through GET /events, with filters and in timestamp order', async () => {
    const total = 50_000;
    rest = await createRestService(config);
    cleanups.push(() => rest.close());
    await rest.init();
    // Fastify answers only once its plugins are ready.
    await rest.getHttpAdapter().getInstance().ready();

    const all = await getEvents(`?execution_id=${target.executionId}&_size=0`).expect(200);
    expect(all.body.metadata.pagination.total).toBe(total);
    const failed = await getEvents(
      `?execution_id=${target.executionId}&event_type=task_failed&_size=3`,
    ).expect(200);
    expect(failed.body.metadata.pagination.total).toBe(total / 10);
    expect(failed.body.items[0]).toMatchObject({
      type: 'cloudify_event',
      event_type: 'task_failed',
      message: 'event 0',
      timestamp: '2026-01-01T00:00:00.000Z',
      execution_id: target.executionId,
      deployment_id: 'web-dep',
      node_instance_id: 'vm_abc123',
      node_name: 'vm',
      operation: 'cloudify.interfaces.lifecycle.create',
      error_causes: [{ message: 'boom', type: 'E', traceback: 't' }],
    });
    const errors = await getEvents(`?type=cloudify_log&level=error&_size=0`).expect(200);
    expect(errors.body.metadata.pagination.total).toBe(total / 10);
    // Ordered by the producers' timestamps, whatever order the batches committed in.
    const page = await getEvents(
      `?execution_id=${target.executionId}&_sort=timestamp&_offset=24950&_size=100`,
    ).expect(200);
    expect(page.body.items.map((item: { message: string }) => item.message)).toEqual(
      Array.from({ length: 100 }, (_, i) => `${(24950 + i) % 2 ? 'log' : 'event'} ${24950 + i}`),
    );
  }, 120_000);

  it('dead-letters malformed messages with their reason and stores the valid ones around them', async () => {
    const deadLetters = await collectDeadLetters(bus);
    cleanups.push(deadLetters.cancel);
    const before = await storedCounts(db);
    const good = [0, 1, 2, 3, 4].map((n) => itemFor(target, n));
    const unknown = { ...target, executionId: randomUUID() };
    const wrongTenant = { ...otherTenant, tenantName: 'default_tenant' };
    await publishItems(bus, target, good[0]);
    await publishItems(bus, target, Buffer.from('{"message_id": "not json'));
    await publishItems(bus, target, good[1]);
    const noExecution = itemFor(target, 5);
    noExecution.context = { ...noExecution.context, execution_id: undefined as never };
    await publishItems(bus, target, JSON.parse(JSON.stringify(noExecution)));
    await publishItems(bus, target, itemFor(target, 6, { message: { text: 42 } }));
    await publishItems(bus, target, itemFor(target, 8, { timestamp: 'yesterday' }));
    await publishItems(bus, unknown, itemFor(unknown, 10));
    await publishItems(bus, wrongTenant, itemFor(wrongTenant, 12));
    await publishItems(bus, target, good[2]);
    const huge = itemFor(target, 14, { message: { text: 'x'.repeat(10 * 1024 * 1024) } });
    await publishItems(bus, target, huge);
    // One bad item spoils its whole message: the message is the unit that is acked.
    await publishItems(bus, target, [good[3], itemFor(target, 16, { message_id: 'nope' })]);
    await publishItems(bus, target, good[4]);

    await waitFor('8 dead letters', async () =>
      deadLetters.letters.length === 8 ? true : undefined,
    );
    expect(deadLetters.letters.map((letter) => letter.reason).sort()).toEqual([
      'invalid_message',
      'invalid_message',
      'invalid_message',
      'invalid_message',
      'malformed_json',
      'too_large',
      'unknown_execution',
      'unknown_execution',
    ]);
    const details = deadLetters.letters.map((letter) => letter.detail).join('\n');
    expect(details).toContain(`no execution ${unknown.executionId} in tenant default_tenant`);
    expect(details).toContain(`invalid timestamp 'yesterday'`);
    await waitFor('the valid ones stored', async () =>
      (await storedCounts(db)).rows === before.rows + 4 ? true : undefined,
    );
    const { rows } = await db.query(
      `SELECT message_id::text FROM events UNION ALL SELECT message_id::text FROM logs`,
    );
    const stored = new Set(rows.map((row: { message_id: string }) => row.message_id));
    for (const item of [good[0], good[1], good[2], good[4]])
      expect(stored.has(item.message_id)).toBe(true);
    expect(stored.has(good[3].message_id)).toBe(false);
    const { rows: foreign } = await db.query(
      `SELECT count(*)::int AS n FROM events e JOIN executions x ON x._storage_id = e._execution_fk
        WHERE x.id = $1`,
      [otherTenant.executionId],
    );
    expect(foreign[0].n).toBe(0);

    const metrics = await metricsPage();
    expect(
      metricValue(metrics, 'nestify_bridge_dead_lettered_total', 'reason="invalid_message"'),
    ).toBe(4);
    expect(metricValue(metrics, 'nestify_bridge_dead_lettered_total', 'reason="too_large"')).toBe(
      1,
    );
    expect(
      metricValue(metrics, 'nestify_bridge_dead_lettered_total', 'reason="malformed_json"'),
    ).toBe(1);
    expect(
      metricValue(metrics, 'nestify_bridge_dead_lettered_total', 'reason="unknown_execution"'),
    ).toBe(2);
  }, 120_000);

  it('announces each committed batch with NOTIFY nestify_events, one per execution', async () => {
    const listener = new Client({ connectionString: config.database.url });
    await listener.connect();
    cleanups.push(() => listener.end());
    const notes: Record<string, unknown>[] = [];
    listener.on('notification', (note) => notes.push(JSON.parse(note.payload ?? '{}')));
    await listener.query('LISTEN nestify_events');

    const items = [itemFor(target, 100), itemFor(target, 101)];
    await publishItems(bus, target, items[0]);
    await publishItems(bus, target, items[1]);
    await publishItems(bus, otherTenant, itemFor(otherTenant, 102));
    const { rows } = await waitFor('rows of the three', async () => {
      const result = await db.query(
        `SELECT (SELECT max(_storage_id) FROM events WHERE message_id = $1) AS event,
                (SELECT max(_storage_id) FROM logs WHERE message_id = $2) AS log`,
        [items[0].message_id, items[1].message_id],
      );
      return result.rows[0].event && result.rows[0].log ? result : undefined;
    });
    await waitFor('notifications', async () => {
      const mine = notes.filter((note) => note.execution_id === target.executionId);
      const seen = {
        events: Math.max(...mine.map((note) => Number(note.events ?? 0))),
        logs: Math.max(...mine.map((note) => Number(note.logs ?? 0))),
      };
      const foreign = notes.some((note) => note.execution_id === otherTenant.executionId);
      return seen.events === rows[0].event && seen.logs === rows[0].log && foreign
        ? true
        : undefined;
    });
  });

  it('purges events and logs past their retention, in chunks', async () => {
    const { rows } = await db.query(
      `WITH old AS (SELECT _storage_id FROM events ORDER BY _storage_id LIMIT 20)
       UPDATE events SET reported_timestamp = now() - interval '31 days'
        WHERE _storage_id IN (SELECT _storage_id FROM old) RETURNING _storage_id`,
    );
    await db.query(
      `UPDATE logs SET reported_timestamp = now() - interval '40 days'
        WHERE _storage_id IN (SELECT _storage_id FROM logs ORDER BY _storage_id LIMIT 3)`,
    );
    const before = await storedCounts(db);
    const deleted = await bridge.get(EventsRetentionService).purge();
    expect(deleted).toEqual({ events: rows.length, logs: 3 });
    expect((await storedCounts(db)).rows).toBe(before.rows - rows.length - 3);
    expect(await bridge.get(EventsRetentionService).purge()).toEqual({ events: 0, logs: 0 });
  });
});
