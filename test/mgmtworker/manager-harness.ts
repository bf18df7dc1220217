import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { startLogstashBridge } from '../../apps/logstash-bridge/src/logstash-bridge.app';
import { startMgmtworker } from '../../apps/mgmtworker/src/mgmtworker.app';
import { createRestService } from '../../apps/rest-service/src/rest-service.app';
import { ArchiveEntry, buildTarGz } from '../support/archives';
import { createTestDatabase } from '../support/database';
import { cleanEnvironment, freePort, REPO_ROOT } from '../support/processes';
import { createTestVhost } from '../support/rabbitmq';
import { basic } from '../support/rest-users';
import { eventually } from './support';

export const ADMIN_PASSWORD = 'admin-secret';
const ADMIN = basic('admin', ADMIN_PASSWORD);
const TENANT = 'default_tenant';

/** A mgmtworker run as its own process (from the TypeScript sources), so a test can kill -9 it. */
export interface MgmtworkerProcess {
  child: ChildProcess;
  output(): string;
  /** Sends `signal` (SIGTERM unless told) and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StoredEvent {
  event_type: string | null;
  type: string;
  node_instance_id: string | null;
  operation: string | null;
  message: string;
  error_causes: unknown;
  timestamp: string;
}

/**
 * A whole manager for end-to-end tests: the REST service on a free port, the logstash-bridge and
 * (unless told otherwise) the mgmtworker in this process, on a throwaway PostgreSQL database and
 * RabbitMQ vhost, with a data dir of its own (plugins go under `<dataDir>/plugins`).
 */
export class ManagerHarness {
  readonly cleanups: Array<() => Promise<void>> = [];
  rest!: INestApplication;
  mgmtworker: INestApplication | undefined;
  dataSource!: DataSource;
  config!: NestifyConfig;
  env!: Record<string, string>;
  dataDir!: string;

  async start(options: { mgmtworker?: boolean; env?: Record<string, string> } = {}) {
    const database = await createTestDatabase();
    this.cleanups.push(database.drop);
    const vhost = await createTestVhost();
    this.cleanups.push(vhost.drop);
    this.dataDir = mkdtempSync(join(tmpdir(), 'nestify-mgmtworker-e2e-'));
    this.cleanups.push(async () => rmSync(this.dataDir, { recursive: true, force: true }));
    this.env = {
      DATABASE_URL: database.url,
      AMQP_URL: vhost.url,
      ADMIN_PASSWORD,
      NESTIFY_DATA_DIR: this.dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
      EXECUTION_STATUS_POLL_MS: '100',
      EXECUTION_LEASE_TTL_MS: '3000',
      BRIDGE_METRICS_PORT: '0',
      // Suites run side by side: no fixed Prometheus ports.
      MGMTWORKER_METRICS_PORT: '0',
      POLICY_METRICS_PORT: '0',
      ...options.env,
    };
    this.config = loadConfig(this.env);
    this.rest = await createRestService(this.config);
    // All interfaces: executions name the manager's own address as rest_host.
    await this.rest.listen(this.config.port, '0.0.0.0');
    this.cleanups.unshift(() => this.rest.close());
    this.dataSource = this.rest.get(DataSource);
    const bridge = await startLogstashBridge(this.config);
    this.cleanups.unshift(() => bridge.close());
    if (options.mgmtworker !== false) await this.startMgmtworker();
  }

  async startMgmtworker(): Promise<void> {
    this.mgmtworker = await startMgmtworker(this.config);
  }

  async stopMgmtworker(): Promise<void> {
    await this.mgmtworker?.close();
    this.mgmtworker = undefined;
  }

  /**
   * Starts a mgmtworker process on this manager's database, vhost and data dir; it is stopped by
   * close() unless the test stopped it first.
   */
  startMgmtworkerProcess(): MgmtworkerProcess {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        'apps/mgmtworker/src/main.ts',
      ],
      { cwd: REPO_ROOT, env: cleanEnvironment(this.env), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    };
    this.cleanups.unshift(() => stop('SIGKILL'));
    return { child, output: () => output, stop };
  }

  async close(): Promise<void> {
    await this.stopMgmtworker();
    for (const cleanup of this.cleanups) await cleanup().catch(() => undefined);
  }

  http(method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string) {
    return request(this.rest.getHttpServer())
      [method](`/api/v3.1/${path}`)
      .set('Authorization', ADMIN)
      .set('Tenant', TENANT);
  }

  async uploadBlueprint(id: string, entries: ArchiveEntry[]): Promise<void> {
    const response = await this.http('put', `blueprints/${id}`)
      .field('params', JSON.stringify({ visibility: 'tenant', async_upload: false }))
      .attach('blueprint_archive', buildTarGz(entries), { filename: 'bp.tar.gz' });
    if (response.status !== 201) throw new Error(`upload ${id}: ${response.text}`);
  }

  async createDeployment(id: string, blueprintId: string, inputs: object = {}): Promise<void> {
    const response = await this.http('put', `deployments/${id}`).send({
      blueprint_id: blueprintId,
      inputs,
    });
    if (response.status !== 201) throw new Error(`deployment ${id}: ${response.text}`);
  }

  async startExecution(
    deploymentId: string,
    workflowId: string,
    parameters: object = {},
  ): Promise<string> {
    const response = await this.http('post', 'executions').send({
      deployment_id: deploymentId,
      workflow_id: workflowId,
      parameters,
    });
    if (response.status !== 201) throw new Error(`${workflowId}: ${response.text}`);
    return response.body.id;
  }

  async execution(id: string): Promise<{ status: string; error: string }> {
    return (await this.http('get', `executions/${id}`).expect(200)).body;
  }

  /** Waits for one of the end statuses (or `status`); returns the execution. */
  waitForStatus(id: string, status: string, timeoutMs = 60000) {
    return eventually(
      `execution ${id} ${status}`,
      async () => {
        const execution = await this.execution(id);
        if (execution.status === status) return execution;
        if (['terminated', 'failed', 'cancelled'].includes(execution.status)) {
          throw new Error(
            `execution ${id} ended ${execution.status} (wanted ${status}): ${execution.error}`,
          );
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  async run(deploymentId: string, workflowId: string, parameters: object = {}) {
    const id = await this.startExecution(deploymentId, workflowId, parameters);
    await this.waitForStatus(id, 'terminated');
    return id;
  }

  async instances(deploymentId: string): Promise<
    Array<{
      id: string;
      node_id: string;
      state: string;
      host_id: string | null;
      runtime_properties: Record<string, unknown>;
      relationships: Array<{ target_id: string; type: string }>;
    }>
  > {
    const response = await this.http(
      'get',
      `node-instances?deployment_id=${deploymentId}&_size=1000&_sort=id`,
    ).expect(200);
    return response.body.items;
  }

  /** The execution's events and logs through GET /events, once the bridge stored `until`. */
  async events(executionId: string, until = 'workflow_succeeded'): Promise<StoredEvent[]> {
    return eventually(
      `events of ${executionId} up to ${until}`,
      async () => {
        const response = await this.http(
          'get',
          `events?execution_id=${executionId}&_size=10000`,
        ).expect(200);
        const items = response.body.items as StoredEvent[];
        return items.some((event) => event.event_type === until) ? items : undefined;
      },
      30000,
    );
  }
}
