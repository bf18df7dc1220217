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
 *
 * A shared machine's throughput drifts by half within a minute, so each case runs BENCH_ROUNDS
 * rounds (default 3), every round measuring each server once in turn; a line reports the median
 * round of its server (with the spread of all rounds) and ratios are taken between medians.
 */
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const WARMUP_S = 1;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
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

/** The median round of one server (by req/s), and how far its rounds spread. */
function median(results: LoadResult[]): LoadResult & { rounds_req_per_s: string } {
  const sorted = [...results].sort((a, b) => a.requests_per_s - b.requests_per_s);
  const middle = sorted[Math.floor(sorted.length / 2)];
  return { ...middle, rounds_req_per_s: results.map((r) => round(r.requests_per_s)).join(',') };
}

function fields(result: LoadResult & { rounds_req_per_s: string }) {
  return {
    req_per_s: round(result.requests_per_s),
    p50_ms: result.p50_ms,
    p99_ms: result.p99_ms,
    rounds: ROUNDS,
    rounds_req_per_s: result.rounds_req_per_s,
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
      // Each round measures every server once, in this order; the bare routes return the same
      // JSON from memory (node:http is the reference, Fastify the issue's yardstick: the API's
      // own platform).
      const servers: Array<{ key: string; run: () => Promise<LoadResult> }> = [
        { key: 'bare-node-http', run: () => withBare(bareNodeHttp, body) },
        { key: 'bare-fastify', run: () => withBare(bareFastify, body) },
        ...(PLATFORMS ? [{ key: 'bare-express', run: () => withBare(bareExpress, body) }] : []),
        ...auths.map(({ auth, headers }) => ({
          key: `api:${auth}`,
          run: () => measure({ url, headers }),
        })),
      ];
      const rounds = new Map<string, LoadResult[]>(servers.map(({ key }) => [key, []]));
      for (let pass = 0; pass < ROUNDS; pass++) {
        for (const { key, run } of servers) rounds.get(key)!.push(await run());
      }
      const of = (key: string) => median(rounds.get(key)!);
      const bare = of('bare-node-http');
      const fastify = of('bare-fastify');
      const ratio = (result: LoadResult) => round(result.requests_per_s / bare.requests_per_s);
      report.record({ case: name, server: 'bare-node-http', ...extra, ...common, ...fields(bare) });
      report.record({
        case: name,
        server: 'bare-fastify',
        ...extra,
        ...common,
        ...fields(fastify),
        ratio_to_node_http: ratio(fastify),
      });
      if (PLATFORMS) {
        const express = of('bare-express');
        report.record({
          case: name,
          server: 'bare-express',
          ...extra,
          ...common,
          ...fields(express),
          ratio_to_node_http: ratio(express),
        });
      }
      for (const { auth } of auths) {
        const result = of(`api:${auth}`);
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
