import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { INestApplication } from '@nestjs/common';
import { loadConfig } from '@nestify/config';
import { createMessageBus, eventRoutingKey, EXCHANGES, MessageBus } from '@nestify/messaging';
import { openDatabase } from '@nestify/model';
import { startLogstashBridge } from '../apps/logstash-bridge/src/logstash-bridge.app';
import { copyTextRows } from '@nestify/model';
import { BridgeMetrics } from '../apps/logstash-bridge/src/metrics/bridge-metrics';
import { Fixtures } from '../test/model/fixtures';
import { createTestDatabase } from '../test/support/database';
import { createTestVhost } from '../test/support/rabbitmq';
import { BenchReport, round } from './report';

/**
 * Events ingest: BENCH_EVENTS event messages (default 200,000; BENCH_EVENTS_PER_MESSAGE of them
 * per AMQP message, default 100, as batching producers send them) published to RabbitMQ while the
 * bridge runs, timed from the first publish to the last COMMIT — once per write method
 * (BENCH_EVENTS_METHODS, default "insert,copy") — against a raw COPY of the same rows into the
 * same table. Real RabbitMQ and PostgreSQL, throw-away vhost and database.
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const PER_MESSAGE = Number(process.env.BENCH_EVENTS_PER_MESSAGE ?? 100);
const METHODS = (process.env.BENCH_EVENTS_METHODS ?? 'insert,copy').split(',') as (
  'insert' | 'copy'
)[];

interface Setup {
  databaseUrl: string;
  amqpUrl: string;
  executionId: string;
  executionFk: number;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

function eventMessage(executionId: string, n: number) {
  return {
    message_id: randomUUID(),
    type: 'cloudify_event',
    event_type: 'task_succeeded',
    timestamp: new Date(Date.UTC(2026, 0, 1) + n).toISOString(),
    message: { text: `Task succeeded 'script_runner.tasks.run' (${n})`, arguments: null },
    context: {
      execution_id: executionId,
      tenant_name: 'default_tenant',
      deployment_id: 'bench',
      workflow_id: 'install',
      node_id: `vm_${n % 1000}`,
      operation: 'cloudify.interfaces.lifecycle.create',
    },
  };
}

async function insertedSoFar(app: INestApplication): Promise<number> {
  const metric = await app.get(BridgeMetrics).inserted.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}

async function ingest(setup: Setup, method: 'insert' | 'copy', report: BenchReport, db: Client) {
  await db.query('TRUNCATE events');
  const config = loadConfig({
    DATABASE_URL: setup.databaseUrl,
    AMQP_URL: setup.amqpUrl,
    EVENTS_WRITE_METHOD: method,
    EVENTS_BATCH_SIZE: process.env.EVENTS_BATCH_SIZE,
    EVENTS_BATCH_LATENCY_MS: process.env.EVENTS_BATCH_LATENCY_MS,
    EVENTS_PREFETCH: process.env.EVENTS_PREFETCH,
    BRIDGE_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  });
  const bus: MessageBus = await createMessageBus(config.messaging);
  const app = await startLogstashBridge(config);
  try {
    const key = eventRoutingKey('default_tenant', 'bench', setup.executionId);
    const messages: unknown[][] = [];
    for (let n = 0; n < EVENTS; n += PER_MESSAGE) {
      const count = Math.min(PER_MESSAGE, EVENTS - n);
      messages.push(
        Array.from({ length: count }, (_, i) => eventMessage(setup.executionId, n + i)),
      );
    }
    const start = process.hrtime.bigint();
    await Promise.all(messages.map((body) => bus.publish(EXCHANGES.events, key, body)));
    const publishS = seconds(start);
    while ((await insertedSoFar(app)) < EVENTS) await new Promise((r) => setTimeout(r, 10));
    const ingestS = seconds(start);
    return { publishS, ingestS };
  } finally {
    await app.close();
    await bus.close();
  }
}

async function rawCopy(setup: Setup, db: Client): Promise<number> {
  await db.query('TRUNCATE events');
  const rows = Array.from({ length: EVENTS }, (_, n) => {
    const event = eventMessage(setup.executionId, n);
    return [
      event.timestamp,
      new Date().toISOString(),
      event.event_type,
      event.message.text,
      'cloudify.interfaces.lifecycle.create',
      event.context.node_id,
      event.message_id,
      setup.executionFk,
      0,
      0,
      'tenant',
    ];
  });
  const text = copyTextRows(rows);
  const start = process.hrtime.bigint();
  await pipeline(
    Readable.from([text]),
    db.query(
      copyFrom(
        `COPY events (timestamp, reported_timestamp, event_type, message, operation, node_id,
           message_id, _execution_fk, _tenant_id, _creator_id, visibility) FROM STDIN`,
      ),
    ),
  );
  return seconds(start);
}

async function main(): Promise<void> {
  const report = new BenchReport('events');
  const database = await createTestDatabase();
  const vhost = await createTestVhost();
  const db = new Client({ connectionString: database.url });
  try {
    const handle = await openDatabase(loadConfig({ DATABASE_URL: database.url }));
    const execution = await new Fixtures(handle.dataSource.manager).execution(null);
    await handle.close();
    await db.connect();
    const setup: Setup = {
      databaseUrl: database.url,
      amqpUrl: vhost.url,
      executionId: execution.id,
      executionFk: execution.storageId,
    };
    const copyS = await rawCopy(setup, db);
    const rawPerS = EVENTS / copyS;
    for (const method of METHODS) {
      const { publishS, ingestS } = await ingest(setup, method, report, db);
      const ingestPerS = EVENTS / ingestS;
      report.record({
        method,
        messages: EVENTS,
        per_message: PER_MESSAGE,
        publish_per_s: round(EVENTS / publishS),
        ingest_per_s: round(ingestPerS),
        raw_copy_per_s: round(rawPerS),
        ratio: round(ingestPerS / rawPerS, 2),
        // Other work on the machine skews both rates; recorded so runs can be compared fairly.
        load_avg_1m: round(loadavg()[0], 2),
      });
    }
  } finally {
    await db.end().catch(() => undefined);
    await database.drop();
    await vhost.drop();
  }
  process.stderr.write(`saved ${report.save()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
