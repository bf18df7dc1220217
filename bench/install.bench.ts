import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { startLogstashBridge } from '../apps/logstash-bridge/src/logstash-bridge.app';
import { startMgmtworker } from '../apps/mgmtworker/src/mgmtworker.app';
import { createRestService } from '../apps/rest-service/src/rest-service.app';
import { buildTarGz } from '../test/support/archives';
import { hostAppDbBlueprint } from '../test/support/install-blueprint';
import { createTestDatabase } from '../test/support/database';
import { freePort, waitFor } from '../test/support/processes';
import { createTestVhost } from '../test/support/rabbitmq';
import { ClusterProcess } from '../test/chaos/cluster-process';
import { BenchReport, round } from './report';

/**
 * The whole install path: POST /executions install (then uninstall) of a no-op deployment with N
 * node instances (N/2 hosts, one app contained_in each, every app connected_to one db: N + 1
 * instances), run by the mgmtworker over real RabbitMQ and PostgreSQL — graph and operation
 * states stored, instance states written, every operation sent to the in-process central
 * deployment agent (plugin `nestify-noop`), events stored by the logstash-bridge. The blueprint
 * and deployment are created through the REST API (not timed). BENCH_INSTANCES (default
 * 200,2000,6000). `*_s` is wall time from the POST to the stored end status.
 *
 * Then process mode (`mode: "process"`): the same install at the largest size (or
 * BENCH_PROCESS_INSTANCES) on a manager started by scripts/cluster.js with each count of
 * mgmtworker processes in BENCH_PROCESS_WORKERS (default 1,2,4; empty skips it), reporting
 * `speedup` = single-process install_s / this install_s. One execution is run by one
 * mgmtworker (its lease); the others add central-deployment-agent capacity for its operations.
 */
const SIZES = (process.env.BENCH_INSTANCES ?? '200,2000,6000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => size > 0);
const PROCESS_WORKERS = (process.env.BENCH_PROCESS_WORKERS ?? '1,2,4')
  .split(',')
  .map((count) => Number(count.trim()))
  .filter((count) => count > 0);
const PROCESS_SIZE = Number(process.env.BENCH_PROCESS_INSTANCES ?? Math.max(...SIZES));
const ADMIN_PASSWORD = 'bench-admin';
const AUTH = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const LIFECYCLE = ['create', 'configure', 'start', 'stop', 'delete'];

const blueprint = (hosts: number) =>
  hostAppDbBlueprint(hosts, 'nestify-noop', 'nestify-noop.noop.tasks.run', LIFECYCLE);

/** A running manager as the benchmark talks to it: its REST API and its database. */
interface Manager {
  call(method: 'put' | 'post' | 'get', path: string): request.Test;
  query(sql: string, params: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** All four apps in this process. */
async function startManager(config: NestifyConfig): Promise<Manager> {
  const rest = await createRestService(config);
  // All interfaces: executions name the manager's registered address as rest_host.
  await rest.listen(config.port, '0.0.0.0');
  const bridge = await startLogstashBridge(config);
  const mgmtworker = await startMgmtworker(config);
  return {
    call: (method, path) => authorized(request(rest.getHttpServer())[method](`/api/v3.1/${path}`)),
    query: (sql, params) => rest.get(DataSource).query(sql, params),
    async close() {
      await mgmtworker.close();
      await bridge.close();
      await rest.close();
    },
  };
}

function authorized(test: request.Test): request.Test {
  return test.set('Authorization', AUTH).set('Tenant', 'default_tenant');
}

/** Process mode: scripts/cluster.js with `workers` mgmtworkers, on its own database and vhost. */
async function startCluster(workers: number): Promise<Manager> {
  const database = await createTestDatabase();
  const vhost = await createTestVhost();
  const dataDir = mkdtempSync(join(tmpdir(), 'nestify-bench-cluster-'));
  const port = await freePort();
  const cluster = new ClusterProcess(
    {
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      NESTIFY_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      BRIDGE_METRICS_PORT: '0',
      MGMTWORKER_METRICS_PORT: '0',
      POLICY_METRICS_PORT: '0',
      MAX_OPERATION_WORKERS: process.env.MAX_OPERATION_WORKERS ?? '500',
    },
    workers,
  );
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const baseUrl = `http://127.0.0.1:${port}`;
  const manager: Manager = {
    call: (method, path) => authorized(request(baseUrl)[method](`/api/v3.1/${path}`)),
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async close() {
      await cluster.stop();
      await pool.end();
      await vhost.drop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // Ready once every mgmtworker heartbeats (the REST service answers before that).
  await waitFor(
    `${workers} mgmtworkers alive`,
    async () => {
      const response = await manager.call('get', 'status').catch(() => undefined);
      const instances = response?.body?.services?.['Management Worker']?.extra_info?.instances;
      const alive = (instances ?? []).filter((instance: { alive: boolean }) => instance.alive);
      return alive.length >= workers ? true : undefined;
    },
    120000,
    250,
  ).catch(async (error: Error) => {
    await manager.close().catch(() => undefined);
    throw new Error(`${error.message}\n${cluster.output(5000)}`);
  });
  return manager;
}

async function prepare(manager: Manager, size: number): Promise<string> {
  const id = `bench-${size}`;
  const hosts = Math.max(1, Math.floor(size / 2));
  const archive = buildTarGz([
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: blueprint(hosts) },
  ]);
  const upload = await manager
    .call('put', `blueprints/${id}`)
    .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
    .attach('blueprint_archive', archive, { filename: 'bp.tar.gz' });
  if (upload.status !== 201) throw new Error(`upload: ${upload.text}`);
  const deployment = await manager.call('put', `deployments/${id}`).send({ blueprint_id: id });
  if (deployment.status !== 201) throw new Error(`deployment: ${deployment.text}`);
  return id;
}

/** Starts the workflow and waits for its stored end status; returns seconds and operations run. */
async function timeWorkflow(manager: Manager, deploymentId: string, workflowId: string) {
  const startedAt = process.hrtime.bigint();
  const response = await manager
    .call('post', 'executions')
    .send({ deployment_id: deploymentId, workflow_id: workflowId });
  if (response.status !== 201) throw new Error(`${workflowId}: ${response.text}`);
  const id: string = response.body.id;
  for (;;) {
    const [row] = await manager.query(
      `SELECT status, error, finished_operations FROM executions WHERE id = $1`,
      [id],
    );
    if (process.env.BENCH_TRACE)
      process.stderr.write(`${workflowId} ${row.status} ${row.finished_operations}\n`);
    if (row.status === 'terminated') {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      return { seconds, operations: Number(row.finished_operations) };
    }
    if (row.status === 'failed' || row.status === 'cancelled') {
      throw new Error(`${workflowId} ${row.status}: ${row.error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Installs then uninstalls one deployment of `size` instances; the figures of one line. */
async function measure(manager: Manager, size: number) {
  const deploymentId = await prepare(manager, size);
  process.stderr.write(`deployment ${deploymentId} created\n`);
  const [instances] = await manager.query(
    `SELECT count(*)::int AS n FROM node_instances i JOIN nodes n ON n._storage_id = i._node_fk
       JOIN deployments d ON d._storage_id = n._deployment_fk WHERE d.id = $1`,
    [deploymentId],
  );
  const install = await timeWorkflow(manager, deploymentId, 'install');
  const uninstall = await timeWorkflow(manager, deploymentId, 'uninstall');
  const seconds = install.seconds + uninstall.seconds;
  const n = Number(instances.n);
  return {
    instances: n,
    install_s: round(install.seconds),
    uninstall_s: round(uninstall.seconds),
    instances_per_s: round(n / install.seconds),
    operations_per_s: round((install.operations + uninstall.operations) / seconds),
    install_operations: install.operations,
    uninstall_operations: uninstall.operations,
    load_avg_1m: round(loadavg()[0]),
  };
}

async function main(): Promise<void> {
  const report = new BenchReport('install');
  const singleProcess = new Map<number, number>();
  const database = await createTestDatabase();
  const vhost = await createTestVhost();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: database.url,
    AMQP_URL: vhost.url,
    ADMIN_PASSWORD,
    PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    BRIDGE_METRICS_PORT: '0',
    MGMTWORKER_METRICS_PORT: '0',
    // No-op operations hold a slot for a broker round trip only: the default 20 starves the run.
    MAX_OPERATION_WORKERS: process.env.MAX_OPERATION_WORKERS ?? '500',
  });
  const manager = await startManager(config);
  try {
    for (const size of SIZES) {
      const line = await measure(manager, size);
      singleProcess.set(size, line.install_s);
      report.record({ mode: 'single-process', ...line });
    }
  } finally {
    await manager.close();
    await vhost.drop();
    await database.drop();
  }
  let oneWorker: number | undefined;
  for (const workers of PROCESS_WORKERS) {
    const cluster = await startCluster(workers);
    try {
      const line = await measure(cluster, PROCESS_SIZE);
      oneWorker ??= workers === 1 ? line.install_s : undefined;
      const single = singleProcess.get(PROCESS_SIZE);
      report.record({
        mode: 'process',
        mgmtworkers: workers,
        ...line,
        single_process_install_s: single ?? 'not measured',
        speedup: single ? round(single / line.install_s) : 'n/a',
        speedup_vs_1_worker: oneWorker ? round(oneWorker / line.install_s) : 'n/a',
      });
    } finally {
      await cluster.close();
    }
  }
  report.save();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
