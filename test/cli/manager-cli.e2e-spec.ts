import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PASSWORD, ManagerHarness } from '../mgmtworker/manager-harness';
import { scriptBlueprint } from '../mgmtworker/script-blueprint';
import { freePort } from '../support/processes';
import { CliResult, startNestifyWith, waitFor } from './local-cli';

jest.setTimeout(180_000);

/** Writes the script-plugin blueprint under `root/bp/`; answers the YAML's path. */
function writeScriptBlueprint(root: string): string {
  for (const entry of scriptBlueprint()) {
    const path = join(root, entry.name);
    if (entry.kind === 'dir') mkdirSync(path, { recursive: true });
    else writeFileSync(path, entry.body ?? '', { mode: entry.mode ?? 0o644 });
  }
  return join(root, 'bp', 'blueprint.yaml');
}

/** The one line an error prints: a single `nestify: …` line on stderr. */
function oneErrorLine(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^nestify: /);
  return lines[0];
}

/**
 * The `nestify` CLI against a whole manager (REST, mgmtworker, logstash-bridge on real PostgreSQL
 * and RabbitMQ): profiles, the install/uninstall shortcuts of a script-plugin blueprint with their
 * progress output, lists as tables and JSON, and every error path as one line with its exit code.
 */
describe('nestify CLI against a manager', () => {
  const manager = new ManagerHarness();
  let work: string;
  let home: string;
  let blueprintYaml: string;
  let url: string;

  const run = (...args: string[]) =>
    startNestifyWith({ cwd: work, env: { NESTIFY_CLI_HOME: home, NO_COLOR: '1' } }, ...args);
  const nestify = (...args: string[]) => run(...args).done;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestify-cli-e2e-'));
    home = join(work, 'home');
    blueprintYaml = writeScriptBlueprint(work);
    await manager.start();
    url = `http://127.0.0.1:${manager.config.port}`;
  });

  afterAll(async () => {
    await manager.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('stores a profile only for good credentials, in a 0600 file', async () => {
    const [bad, good] = [
      await nestify('profiles', 'use', url, '-u', 'admin', '-p', 'wrong-password'),
      await nestify('profiles', 'use', url, '-u', 'admin', '-p', ADMIN_PASSWORD, '--name', 'e2e'),
    ];
    expect(bad.status).toBe(4);
    expect(oneErrorLine(bad)).toMatch(/unauthorized_error\)$/);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`Logged in to ${url} as admin (tenant default_tenant)`);
    const file = join(home, 'profiles.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      active: 'e2e',
      profiles: { e2e: { manager_url: url, username: 'admin', password: ADMIN_PASSWORD } },
    });
    const listed = await nestify('profiles', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ name: 'e2e', active: '*', auth: 'password' }),
    ]);
    expect(listed.stdout).not.toContain(ADMIN_PASSWORD);
  });

  it('installs a script blueprint with progress output, lists it, and uninstalls it', async () => {
    const runLog = join(work, 'install.log');
    const install = await nestify(
      'install',
      blueprintYaml,
      '-b',
      'cli-bp',
      '-d',
      'cli-dep',
      '-i',
      `run_log=${runLog}`,
    );
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    const lines = install.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Uploading blueprint ${blueprintYaml} as cli-bp...`);
    expect(lines).toContain('Creating deployment cli-dep...');
    expect(install.stdout).toMatch(/CFY <cli-dep> Starting 'install' workflow execution/);
    expect(install.stdout).toMatch(/CFY <cli-dep> \[app_\w+\.configure\] /);
    expect(lines[lines.length - 1]).toMatch(
      /^Execution [\w-]+ \(install\) terminated: \d+\/\d+ operations$/,
    );
    expect(readFileSync(runLog, 'utf8')).toMatch(/app_\w+ start/);

    const executionId = /\[execution ([\w-]+)\]/.exec(install.stdout)?.[1] as string;
    const [table, json, verbose, events] = await Promise.all([
      nestify('node-instances', 'list', '-d', 'cli-dep', '--sort-by', 'id'),
      nestify('deployments', 'list', '--json'),
      nestify('blueprints', 'get', 'cli-bp', '--verbose'),
      nestify('events', 'list', '-e', executionId, '--json'),
    ]);
    expect(JSON.parse(events.stdout)).toContainEqual(
      expect.objectContaining({ event_type: 'workflow_succeeded', execution_id: executionId }),
    );
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toBe('Node instances:');
    expect(rows[1]).toMatch(/^id +deployment_id +host_id +node_id +state +visibility/);
    expect(rows.slice(3)).toHaveLength(5);
    for (const row of rows.slice(3)) expect(row).toMatch(/^\w+_\w+ +cli-dep .* started +tenant/);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        id: 'cli-dep',
        blueprint_id: 'cli-bp',
        installation_status: 'active',
      }),
    ]);
    expect(verbose.stdout).toMatch(/^id: +cli-bp$/m);
    expect(verbose.stderr).toContain(`> GET ${url}/api/v3.1/blueprints/cli-bp`);
    expect(verbose.stderr).toContain('> Authorization: ********');
    expect(verbose.stderr).toMatch(/^< 200 \(\d+ ms\)$/m);

    const uninstall = await nestify('uninstall', 'cli-dep');
    expect(uninstall.stderr).toBe('');
    expect(uninstall.status).toBe(0);
    expect(uninstall.stdout).toMatch(/^Execution [\w-]+ \(uninstall\) terminated: /m);
    expect(uninstall.stdout).toContain('Deleted blueprint cli-bp');
    await manager.http('get', 'deployments/cli-dep').expect(404);
    await manager.http('get', 'blueprints/cli-bp').expect(404);
  });

  it('exits 1 with the error of a failing install, and 130 after Ctrl-C (cancelling)', async () => {
    const gate = join(work, 'gate');
    // Both installs run side by side on their own deployments, to keep the suite short.
    const failing = run(
      'install',
      blueprintYaml,
      '-b',
      'bad-bp',
      '-d',
      'bad-dep',
      '-i',
      `run_log=${join(work, 'failing.log')}`,
      '-i',
      'behaviour=abort',
    );
    const interrupted = run(
      'install',
      blueprintYaml,
      '-b',
      'slow-bp',
      '-d',
      'slow-dep',
      '-i',
      `run_log=${join(work, 'slow.log')}`,
      '-i',
      `behaviour=block:${gate}`,
    );
    await waitFor(() => /\[app_\w+\.configure\]/.test(interrupted.stdout()), 'configure to start');
    interrupted.child.kill('SIGINT');
    const [failed, cancelled] = await Promise.all([failing.done, interrupted.done]);
    writeFileSync(gate, '');

    expect(failed.status).toBe(1);
    expect(oneErrorLine(failed)).toMatch(
      /^nestify: execution [\w-]+ \(install\) failed: .*app cannot be configured/,
    );
    expect(failed.stdout).toMatch(/CFY <bad-dep> .*'install' workflow execution failed/);

    expect(cancelled.status).toBe(130);
    const line = oneErrorLine(cancelled);
    expect(line).toMatch(/^nestify: interrupted; cancelling execution [\w-]+$/);
    await manager.waitForStatus(line.split(' ').pop() as string, 'cancelled');
  });

  it('manages secrets, sites and tokens, and every list prints JSON that parses', async () => {
    const created = await Promise.all([
      nestify('secrets', 'create', 'db_password', '-s', 's3cret'),
      nestify('sites', 'create', 'lab', '--location', '10.5,20.25'),
    ]);
    expect(created.map((result) => result.status)).toEqual([0, 0]);
    const [secret, secrets, token, ...lists] = await Promise.all([
      nestify('secrets', 'get', 'db_password', '--json'),
      nestify('secrets', 'list'),
      nestify('tokens', 'create', '--description', 'ci', '--json'),
      ...['tenants', 'users', 'sites', 'tokens', 'agents', 'plugins', 'executions', 'nodes'].map(
        (group) => nestify(group, 'list', '--json'),
      ),
    ]);
    expect(JSON.parse(secret.stdout)).toMatchObject({ key: 'db_password', value: 's3cret' });
    expect(secrets.stdout).toMatch(/^db_password +\d{4}-\d\d-\d\d /m);
    expect(JSON.parse(token.stdout).value).toMatch(/^ctok-/);
    const [tenants, users, sites] = lists.map((result) => JSON.parse(result.stdout) as unknown[]);
    for (const list of lists) expect(Array.isArray(JSON.parse(list.stdout))).toBe(true);
    expect(tenants).toContainEqual(expect.objectContaining({ name: 'default_tenant' }));
    expect(users).toContainEqual(expect.objectContaining({ username: 'admin' }));
    expect(sites).toEqual([expect.objectContaining({ name: 'lab', latitude: 10.5 })]);
  });

  it('prints one readable line and the right exit code for each error', async () => {
    const invalidDir = join(work, 'invalid');
    mkdirSync(invalidDir);
    writeFileSync(
      join(invalidDir, 'blueprint.yaml'),
      'tosca_definitions_version: cloudify_dsl_1_4\nnode_templates:\n  vm:\n    type: cloudify.nodes.Nope\n',
    );
    const down = `http://127.0.0.1:${await freePort()}`;
    const [unknown, invalid, serverDown, usage, noDeployment] = await Promise.all([
      nestify('blueprints', 'get', 'no-such-blueprint'),
      nestify('blueprints', 'upload', invalidDir, '-b', 'invalid-bp'),
      nestify('blueprints', 'list', '--manager', down),
      nestify('deployments', 'create', 'x', '-b', 'no-such-blueprint', '-i', 'not valid: ['),
      nestify('deployments', 'create', 'x', '-b', 'no-such-blueprint'),
    ]);
    expect(unknown.status).toBe(1);
    expect(oneErrorLine(unknown)).toBe(
      'nestify: Requested `Blueprint` with ID `no-such-blueprint` was not found (not_found_error)',
    );
    expect(invalid.status).toBe(1);
    expect(oneErrorLine(invalid)).toMatch(
      /^nestify: .*invalid-bp.*cloudify\.nodes\.Nope.* \(invalid_blueprint_error\)$/,
    );
    expect(serverDown.status).toBe(3);
    expect(oneErrorLine(serverDown)).toBe(
      `nestify: cannot reach the manager at ${down}: connection refused`,
    );
    expect(usage.status).toBe(2);
    expect(oneErrorLine(usage)).toMatch(/^nestify: invalid inputs 'not valid: \['/);
    expect(noDeployment.status).toBe(1);
    expect(oneErrorLine(noDeployment)).toMatch(/no-such-blueprint.*\(\w+_error\)$/);
  });
});
