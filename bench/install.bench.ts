import { loadavg } from 'node:os';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { startLogstashBridge } from '../apps/logstash-bridge/src/logstash-bridge.app';
import { startMgmtworker } from '../apps/mgmtworker/src/mgmtworker.app';
import { createRestService } from '../apps/rest-service/src/rest-service.app';
import { buildTarGz } from '../test/support/archives';
import { createTestDatabase } from '../test/support/database';
import { freePort } from '../test/support/processes';
import { createTestVhost } from '../test/support/rabbitmq';
import { BenchReport, round } from './report';

/**
 * The whole install path: POST /executions install (then uninstall) of a no-op deployment with N
 * node instances (N/2 hosts, one app contained_in each, every app connected_to one db: N + 1
 * instances), run by the mgmtworker over real RabbitMQ and PostgreSQL — graph and operation
 * states stored, instance states written, every operation sent to the in-process central
 * deployment agent (plugin `nestify-noop`), events stored by the logstash-bridge. The blueprint
 * and deployment are created through the REST API (not timed). BENCH_INSTANCES (default
 * 200,2000,6000). `*_s` is wall time from the POST to the stored end status.
 */
const SIZES = (process.env.BENCH_INSTANCES ?? '200,2000,6000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => size > 0);
const ADMIN_PASSWORD = 'bench-admin';
const AUTH = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
const LIFECYCLE = ['create', 'configure', 'start', 'stop', 'delete'];

function blueprint(hosts: number): string {
  const ops = LIFECYCLE.map((op) => `${op}: nestify-noop.noop.tasks.run`).join(', ');
  const interfaces = `interfaces: { cloudify.interfaces.lifecycle: { ${ops} } }`;
  return `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
plugins: { nestify-noop: { executor: central_deployment_agent, install: false } }
node_templates:
  host:
    type: cloudify.nodes.Root
    capabilities: { scalable: { properties: { default_instances: ${hosts} } } }
    ${interfaces}
  db:
    type: cloudify.nodes.Root
    ${interfaces}
  app:
    type: cloudify.nodes.Root
    relationships:
      - { type: cloudify.relationships.contained_in, target: host }
      - { type: cloudify.relationships.connected_to, target: db }
    ${interfaces}
`;
}

interface Manager {
  rest: INestApplication;
  dataSource: DataSource;
  close(): Promise<void>;
}

async function startManager(config: NestifyConfig): Promise<Manager> {
  const rest = await createRestService(config);
  // All interfaces: executions name the manager's registered address as rest_host.
  await rest.listen(config.port, '0.0.0.0');
  const bridge = await startLogstashBridge(config);
  const mgmtworker = await startMgmtworker(config);
  return {
    rest,
    dataSource: rest.get(DataSource),
    async close() {
      await mgmtworker.close();
      await bridge.close();
      await rest.close();
    },
  };
}

const api = (manager: Manager) => ({
  call: (method: 'put' | 'post' | 'get', path: string) =>
    request(manager.rest.getHttpServer())
      [method](`/api/v3.1/${path}`)
      .set('Authorization', AUTH)
      .set('Tenant', 'default_tenant'),
});

async function prepare(manager: Manager, size: number): Promise<string> {
  const id = `bench-${size}`;
  const hosts = Math.max(1, Math.floor(size / 2));
  const archive = buildTarGz([
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: blueprint(hosts) },
  ]);
  const client = api(manager);
  const upload = await client
    .call('put', `blueprints/${id}`)
    .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
    .attach('blueprint_archive', archive, { filename: 'bp.tar.gz' });
  if (upload.status !== 201) throw new Error(`upload: ${upload.text}`);
  const deployment = await client.call('put', `deployments/${id}`).send({ blueprint_id: id });
  if (deployment.status !== 201) throw new Error(`deployment: ${deployment.text}`);
  return id;
}

/** Starts the workflow and waits for its stored end status; returns seconds and operations run. */
async function timeWorkflow(manager: Manager, deploymentId: string, workflowId: string) {
  const startedAt = process.hrtime.bigint();
  const response = await api(manager)
    .call('post', 'executions')
    .send({ deployment_id: deploymentId, workflow_id: workflowId });
  if (response.status !== 201) throw new Error(`${workflowId}: ${response.text}`);
  const id: string = response.body.id;
  for (;;) {
    const [row] = await manager.dataSource.query(
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

async function main(): Promise<void> {
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
  const report = new BenchReport('install');
  try {
    for (const size of SIZES) {
      const deploymentId = await prepare(manager, size);
      process.stderr.write(`deployment ${deploymentId} created\n`);
      const [instances] = await manager.dataSource.query(
        `SELECT count(*)::int AS n FROM node_instances i JOIN nodes n ON n._storage_id = i._node_fk
           JOIN deployments d ON d._storage_id = n._deployment_fk WHERE d.id = $1`,
        [deploymentId],
      );
      const install = await timeWorkflow(manager, deploymentId, 'install');
      const uninstall = await timeWorkflow(manager, deploymentId, 'uninstall');
      const seconds = install.seconds + uninstall.seconds;
      report.record({
        instances: instances.n,
        install_s: round(install.seconds),
        uninstall_s: round(uninstall.seconds),
        instances_per_s: round(instances.n / install.seconds),
        operations_per_s: round((install.operations + uninstall.operations) / seconds),
        install_operations: install.operations,
        uninstall_operations: uninstall.operations,
        load_avg_1m: round(loadavg()[0]),
      });
    }
    report.save();
  } finally {
    await manager.close();
    await vhost.drop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
