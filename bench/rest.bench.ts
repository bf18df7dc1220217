import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { NodeInstance } from '@nestify/model';
import { createRestService } from '../apps/rest-service/src/rest-service.app';
import { createTestDatabase, TestDatabase } from '../test/support/database';
import { DEFAULT_SCOPE, Fixtures, owned } from '../test/model/fixtures';
import { createTestVhost, TestVhost } from '../test/support/rabbitmq';
import { bareExpress, bareFastify, bareNodeHttp, BareServer, load, LoadResult } from './http-load';
import { BenchReport, round } from './report';

/**
 * REST API throughput on loopback with autocannon: `GET /node-instances?deployment_id=…`
 * (BENCH_ROWS rows, default 1000) and `GET /executions/<id>` on the real PostgreSQL, each beside
 * a bare node:http route returning the same JSON from memory (the ratio is API / bare), plus the
 * same JSON from a bare Fastify route (the issue's yardstick: `ratio_to_bare_fastify`) and, unless
 * BENCH_PLATFORMS=false, from bare Express.
 * BENCH_DURATION seconds per case (default 5), BENCH_CONNECTIONS (default 10); BENCH_CASES and
 * BENCH_PLATFORMS=false narrow the run.
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const WARMUP_S = 1;
/** Which cases to run (default both), and whether to add the bare Express and Fastify routes. */
const CASES = (process.env.BENCH_CASES ?? 'node-instances,execution').split(',');
const PLATFORMS = process.env.BENCH_PLATFORMS !== 'false';
const ADMIN_PASSWORD = 'bench-admin-secret';
const TENANT = 'default_tenant';

interface Target {
  url: string;
  headers?: Record<string, string>;
}

async function measure(target: Target): Promise<LoadResult> {
  const options = { ...target, connections: CONNECTIONS };
  await load({ ...options, duration: WARMUP_S });
  const result = await load({ ...options, duration: DURATION });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${target.url}: ${JSON.stringify(result)}`);
  }
  return result;
}

function fields(result: LoadResult) {
  return {
    req_per_s: round(result.requests_per_s),
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
  };
}

async function withBare(
  start: (body: unknown) => Promise<BareServer>,
  body: unknown,
): Promise<LoadResult> {
  const server = await start(body);
  try {
    return await measure({ url: server.url });
  } finally {
    await server.close();
  }
}

async function seed(
  dataSource: DataSource,
): Promise<{ deploymentId: string; executionId: string }> {
  const fixtures = new Fixtures(dataSource.manager);
  const deployment = await fixtures.deployment();
  const node = await fixtures.node(deployment, 'vm');
  const rows = Array.from({ length: ROWS }, (_, n) => ({
    ...owned(DEFAULT_SCOPE),
    id: `vm_${String(n).padStart(6, '0')}`,
    state: 'started',
    runtimeProperties: { ip: `10.0.${Math.floor(n / 256)}.${n % 256}`, index: n },
    nodeFk: node.storageId,
  }));
  const repository = dataSource.getRepository(NodeInstance);
  for (let i = 0; i < rows.length; i += 500) await repository.insert(rows.slice(i, i + 500));
  const execution = await fixtures.execution(deployment, DEFAULT_SCOPE, randomUUID());
  return { deploymentId: deployment.id, executionId: execution.id };
}

async function main(): Promise<void> {
  const report = new BenchReport('rest');
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(database.drop);
    const vhost: TestVhost = await createTestVhost();
    cleanups.push(vhost.drop);
    const app: INestApplication = await createRestService(
      loadConfig({
        DATABASE_URL: database.url,
        AMQP_URL: vhost.url,
        ADMIN_PASSWORD,
        LOG_LEVEL: 'warn',
      }),
    );
    cleanups.push(async () => {
      // Requests autocannon left in flight when its time ran out finish before the pool closes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await app.close();
    });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v3.1`;

    const { deploymentId, executionId } = await seed(app.get(DataSource));
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
    const tokenResponse = await fetch(`${base}/tokens`, {
      method: 'POST',
      headers: { Authorization: basic, 'content-type': 'application/json' },
      body: '{}',
    });
    if (tokenResponse.status !== 201) throw new Error(`POST /tokens: ${tokenResponse.status}`);
    const token = ((await tokenResponse.json()) as { value: string }).value;
    const tokenHeaders = { 'Authentication-Token': token, Tenant: TENANT };

    const listUrl = `${base}/node-instances?deployment_id=${encodeURIComponent(deploymentId)}`;
    const executionUrl = `${base}/executions/${executionId}`;
    const fetchJson = async (url: string): Promise<unknown> => {
      const response = await fetch(url, { headers: tokenHeaders });
      if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
      return response.json();
    };
    const list = (await fetchJson(listUrl)) as { items: unknown[] };
    if (list.items.length !== ROWS) throw new Error(`listed ${list.items.length} of ${ROWS} rows`);
    const execution = await fetchJson(executionUrl);
    const listBytes = Buffer.byteLength(JSON.stringify(list));
    const executionBytes = Buffer.byteLength(JSON.stringify(execution));
    const common = { connections: CONNECTIONS, duration_s: DURATION };
    const tokenAuth = { auth: 'token', headers: tokenHeaders };
    const basicAuth = { auth: 'basic', headers: { Authorization: basic, Tenant: TENANT } };
    const cases = [
      {
        name: 'node-instances',
        url: listUrl,
        body: list,
        extra: { rows: ROWS, bytes: listBytes },
        auths: [tokenAuth, basicAuth],
      },
      {
        name: 'execution',
        url: executionUrl,
        body: execution,
        extra: { rows: 1, bytes: executionBytes },
        auths: [tokenAuth],
      },
    ];
    for (const { name, url, body, extra, auths } of cases) {
      if (!CASES.includes(name)) continue;
      // The bare routes return the same JSON from memory; node:http is the reference, the better
      // of two runs (the first run after a heavy case sometimes lags far behind).
      const first = await withBare(bareNodeHttp, body);
      const second = await withBare(bareNodeHttp, body);
      const bare = first.requests_per_s >= second.requests_per_s ? first : second;
      report.record({ case: name, server: 'bare-node-http', ...extra, ...common, ...fields(bare) });
      const ratio = (result: LoadResult) => round(result.requests_per_s / bare.requests_per_s);
      // The issue's yardstick: the same JSON from a bare Fastify route (the API's own platform).
      const fastify = await withBare(bareFastify, body);
      report.record({
        case: name,
        server: 'bare-fastify',
        ...extra,
        ...common,
        ...fields(fastify),
        ratio_to_node_http: ratio(fastify),
      });
      if (PLATFORMS) {
        const express = await withBare(bareExpress, body);
        report.record({
          case: name,
          server: 'bare-express',
          ...extra,
          ...common,
          ...fields(express),
          ratio_to_node_http: ratio(express),
        });
      }
      for (const { auth, headers } of auths) {
        const result = await measure({ url, headers });
        report.record({
          case: name,
          server: 'api',
          auth,
          ...extra,
          ...common,
          ...fields(result),
          ratio_to_node_http: ratio(result),
          ratio_to_bare_fastify: round(result.requests_per_s / fastify.requests_per_s),
        });
      }
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
  process.stderr.write(`saved ${report.save()}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
