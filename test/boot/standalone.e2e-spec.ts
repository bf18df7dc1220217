import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@nestify/config';
import { openDatabase } from '@nestify/model';
import {
  builtMain,
  cleanEnvironment,
  freePort,
  getJson,
  RunningProcess,
  startNode,
  waitFor,
} from '../support/processes';
import { buildTarGz } from '../support/archives';
import { basic } from '../support/rest-users';

/** The bootstrap admin with the default ADMIN_PASSWORD: /status needs credentials. */
const ADMIN = { Authorization: basic('admin', 'admin') };

interface Status {
  status: string;
  services: Record<string, { status: string; is_remote: boolean }>;
}

/**
 * `npm start` on a clean checkout: no DATABASE_URL, no AMQP_URL, default data dir under the working
 * directory. It must answer /ok within seconds and keep its data across a restart.
 */
describe('npm start on embedded defaults', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'nestify-boot-'));
  const dataDir = join(workDir, '.nestify');
  let port: number;
  let manager: RunningProcess | undefined;

  beforeAll(async () => {
    port = await freePort();
  });

  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  async function boot(): Promise<number> {
    const startedAt = Date.now();
    manager = startNode(builtMain('standalone'), cleanEnvironment({ PORT: String(port) }), workDir);
    await waitFor(
      '/api/v3.1/ok',
      () => getJson(`http://127.0.0.1:${port}/api/v3.1/ok`),
      60000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${manager?.output()}`);
    });
    return Date.now() - startedAt;
  }

  async function readState(): Promise<{ marker: number; adminHash: string; migrations: number }> {
    const db = await openDatabase(loadConfig({ NESTIFY_DATA_DIR: dataDir }));
    try {
      const [{ count: marker }] = await db.dataSource.query(
        `SELECT count(*)::int AS count FROM sites WHERE name = 'restart-marker'`,
      );
      const [{ password: adminHash }] = await db.dataSource.query(
        `SELECT password FROM users WHERE username = 'admin'`,
      );
      const [{ count: migrations }] = await db.dataSource.query(
        `SELECT count(*)::int AS count FROM migrations`,
      );
      return { marker, adminHash, migrations };
    } finally {
      await db.close();
    }
  }

  it('answers /ok within seconds, reports every app, and stops cleanly', async () => {
    const elapsedMs = await boot();
    expect(elapsedMs).toBeLessThan(30000);
    expect(existsSync(join(dataDir, 'data'))).toBe(true);

    const status = (await waitFor('all apps active', async () => {
      const report = (await getJson(
        `http://127.0.0.1:${port}/api/v3.1/status`,
        200,
        ADMIN,
      )) as Status;
      return report.status === 'OK' ? report : undefined;
    })) as Status;
    expect(status.services.PostgreSQL).toMatchObject({ status: 'Active', is_remote: false });
    expect(status.services['Message Bus']).toMatchObject({ status: 'Active', is_remote: false });
    for (const app of [
      'Manager Rest-Service',
      'Management Worker',
      'Logstash Bridge',
      'Riemann Policy Engine',
    ]) {
      expect(status.services[app].status).toBe('Active');
    }

    const code = await manager!.stop();
    manager = undefined;
    expect(code).toBe(0);
  });

  it('keeps its data across a restart', async () => {
    const before = await readState();
    const db = await openDatabase(loadConfig({ NESTIFY_DATA_DIR: dataDir }));
    await db.dataSource.query(
      `INSERT INTO sites (id, name, visibility, _tenant_id, _creator_id, created_at)
       VALUES ('restart-marker', 'restart-marker', 'tenant', 0, 0, now())`,
    );
    await db.close();

    await boot();
    const code = await manager!.stop();
    manager = undefined;
    expect(code).toBe(0);

    const after = await readState();
    expect(after.marker).toBe(1);
    expect(after.adminHash).toBe(before.adminHash);
    expect(after.migrations).toBe(before.migrations);
  });

  it('installs and uninstalls a script blueprint with every app in the one process', async () => {
    await boot();
    const api = `http://127.0.0.1:${port}/api/v3.1`;
    const headers = { ...ADMIN, Tenant: 'default_tenant' };
    const call = async (method: string, path: string, body?: unknown, raw?: Buffer) => {
      const response = await fetch(`${api}/${path}`, {
        method,
        headers: {
          ...headers,
          'content-type': raw ? 'application/octet-stream' : 'application/json',
        },
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const blueprint = [
      'tosca_definitions_version: cloudify_dsl_1_4',
      'imports: [cloudify/types/types.yaml]',
      'node_templates:',
      '  vm:',
      '    type: cloudify.nodes.Compute',
      '    properties: { agent_config: { install_method: none } }',
      '    interfaces:',
      '      cloudify.interfaces.lifecycle:',
      '        create: { implementation: set.sh, executor: central_deployment_agent }',
      '  app:',
      '    type: cloudify.nodes.Root',
      '    relationships: [{ type: cloudify.relationships.contained_in, target: vm }]',
      '    interfaces:',
      '      cloudify.interfaces.lifecycle:',
      '        start: { implementation: set.sh, executor: central_deployment_agent }',
    ].join('\n');
    const script = '#!/bin/bash\nctx instance runtime-properties greeting hello\n';
    const archive = buildTarGz([
      { name: 'bp/', kind: 'dir' },
      { name: 'bp/blueprint.yaml', body: blueprint },
      { name: 'bp/set.sh', body: script, mode: 0o755 },
    ]);
    await call('PUT', 'blueprints/bp?application_file_name=blueprint.yaml', undefined, archive);
    await call('PUT', 'deployments/d1', { blueprint_id: 'bp' });
    const states = async () =>
      (
        (await call('GET', 'node-instances?deployment_id=d1')) as {
          items: Array<{ state: string; runtime_properties: Record<string, unknown> }>;
        }
      ).items;
    const finished = async (id: string) => {
      await waitFor(
        'the execution to end',
        async () => {
          const { status } = (await call('GET', `executions/${id}`)) as { status: string };
          return ['terminated', 'failed', 'cancelled'].includes(status) ? status : undefined;
        },
        60000,
      );
      return (await call('GET', `executions/${id}`)) as { status: string; error: string };
    };

    const install = (await call('POST', 'executions', {
      deployment_id: 'd1',
      workflow_id: 'install',
    })) as { id: string };
    expect(await finished(install.id)).toMatchObject({ status: 'terminated' });
    for (const instance of await states()) {
      expect(instance).toMatchObject({
        state: 'started',
        runtime_properties: { greeting: 'hello' },
      });
    }

    const uninstall = (await call('POST', 'executions', {
      deployment_id: 'd1',
      workflow_id: 'uninstall',
    })) as { id: string };
    expect(await finished(uninstall.id)).toMatchObject({ status: 'terminated' });
    expect((await states()).map((instance) => instance.state)).toEqual(['deleted', 'deleted']);
  });
});
