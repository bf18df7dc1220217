import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLines, lineIndex, nestify, startNestify, waitFor, writeTree } from './local-cli';

/** A host with a database and an app connected to it; bash scripts write runtime properties. */
const APP_DB = {
  'blueprint.yaml': `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
inputs:
  port:
    default: 8080
node_templates:
  host:
    type: cloudify.nodes.Compute
    properties:
      ip: 127.0.0.1
      agent_config:
        install_method: none
  db:
    type: cloudify.nodes.Root
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
    interfaces:
      cloudify.interfaces.lifecycle:
        create: scripts/db-create.sh
        delete: scripts/delete.sh
  app:
    type: cloudify.nodes.Root
    relationships:
      - type: cloudify.relationships.contained_in
        target: host
      - type: cloudify.relationships.connected_to
        target: db
        source_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            preconfigure: scripts/link-source.sh
        target_interfaces:
          cloudify.interfaces.relationship_lifecycle:
            establish: scripts/link-target.sh
    interfaces:
      cloudify.interfaces.lifecycle:
        create:
          implementation: scripts/app-create.sh
          inputs:
            PORT: { get_input: port }
        delete: scripts/delete.sh
      maintenance:
        backup: scripts/backup.sh
outputs:
  endpoint:
    value: { concat: ['http://', { get_attribute: [app, url_host] }, ':', { get_attribute: [app, port] }] }
  database:
    value: { get_attribute: [app, db_name] }
`,
  'scripts/db-create.sh': `#!/bin/bash
set -e
ctx logger info "creating the database on $(ctx instance host-ip)"
ctx instance runtime-properties db_name appdb
`,
  'scripts/app-create.sh': `#!/bin/bash
set -e
ctx instance runtime-properties port "$PORT"
ctx instance runtime-properties url_host localhost
echo "app created"
`,
  'scripts/link-source.sh': `#!/bin/bash
set -e
ctx source instance runtime-properties db_name "$(ctx target instance runtime-properties db_name)"
`,
  'scripts/link-target.sh': `#!/bin/bash
set -e
ctx target instance runtime-properties client "$(ctx source instance id)"
`,
  'scripts/backup.sh': `#!/bin/bash
set -e
ctx instance runtime-properties backed_up @true
ctx returns "backed up to $TARGET"
`,
  'scripts/delete.sh': `#!/bin/bash
ctx logger info "deleting $(ctx instance id)"
`,
};

const FAILING = {
  'failing.yaml': `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
node_templates:
  broken:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: boom.sh
`,
  'boom.sh': `#!/bin/bash
echo "about to fail" >&2
exit 3
`,
};

const SLOW = {
  'slow.yaml': `
tosca_definitions_version: cloudify_dsl_1_4
imports:
  - cloudify/types/types.yaml
node_templates:
  slow:
    type: cloudify.nodes.Root
    interfaces:
      cloudify.interfaces.lifecycle:
        create: slow.sh
`,
  'slow.sh': `#!/bin/bash
echo "sleeping as $$"
sleep 120
`,
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface Instance {
  id: string;
  node_id: string;
  state: string;
  runtime_properties: Record<string, unknown>;
}

const byNode = (instances: Instance[], node: string): Instance => {
  const found = instances.find((i) => i.node_id === node);
  if (!found) throw new Error(`no instance of ${node}`);
  return found;
};

/**
 * `nestify local` end to end: the CLI as a child process runs a blueprint's workflows with no
 * manager — real bash scripts calling `ctx`, state in a JSON file under the working folder.
 */
describe('nestify local', () => {
  jest.setTimeout(240_000);
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'nestify-local-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('installs, reports instances and outputs, and uninstalls a blueprint', async () => {
    const dir = join(scratch, 'app-db');
    await writeTree(dir, APP_DB);

    const install = await nestify(dir, 'local', 'install', 'blueprint.yaml', '-i', 'port=9090');
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    const lines = eventLines(install.stdout);
    expect(lines[0]).toBe("CFY <local> Starting 'install' workflow execution");
    expect(lines[lines.length - 1]).toBe("CFY <local> 'install' workflow execution succeeded");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^CFY <local> \[db_\w+\.create\] Task started 'script_runner\.tasks\.run'$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^LOG <local> \[db_\w+\.create\] INFO: creating the database on 127\.0\.0\.1$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^LOG <local> \[app_\w+\.create\] INFO: <out> app created$/),
    );
    // Lifecycle order: the host before what it contains, the db before the app connected to it.
    const hostStarted = lineIndex(lines, /\[host_\w+\] Node instance started/);
    const dbCreating = lineIndex(lines, /\[db_\w+\] Creating node instance$/);
    const dbCreated = lineIndex(lines, /\[db_\w+\.create\] Task succeeded/);
    const dbStarted = lineIndex(lines, /\[db_\w+\] Node instance started/);
    const appCreating = lineIndex(lines, /\[app_\w+\] Creating node instance$/);
    const preconfigure = lineIndex(lines, /\[app_\w+\.preconfigure\] Task succeeded/);
    const establish = lineIndex(lines, /\[db_\w+\.establish\] Task succeeded/);
    const appStarted = lineIndex(lines, /\[app_\w+\] Node instance started/);
    expect(hostStarted).toBeLessThan(dbCreating);
    expect(dbCreating).toBeLessThan(dbCreated);
    expect(dbStarted).toBeLessThan(appCreating);
    expect(appCreating).toBeLessThan(preconfigure);
    expect(preconfigure).toBeLessThan(establish);
    expect(establish).toBeLessThan(appStarted);

    // Later commands find the only local deployment of this folder by themselves.
    const listed = await nestify(dir, 'local', 'instances');
    expect(listed.status).toBe(0);
    const instances = JSON.parse(listed.stdout) as Instance[];
    expect(instances).toHaveLength(3);
    expect(instances.map((i) => i.state)).toEqual(['started', 'started', 'started']);
    const app = byNode(instances, 'app');
    expect(app.runtime_properties).toEqual({
      port: '9090',
      url_host: 'localhost',
      db_name: 'appdb',
    });
    expect(byNode(instances, 'db').runtime_properties).toEqual({
      db_name: 'appdb',
      client: app.id,
    });

    const outputs = await nestify(dir, 'local', 'outputs');
    expect(outputs.status).toBe(0);
    expect(JSON.parse(outputs.stdout)).toEqual({
      endpoint: 'http://localhost:9090',
      database: 'appdb',
    });

    const execute = await nestify(
      dir,
      'local',
      'execute',
      '-w',
      'execute_operation',
      '-p',
      'operation=maintenance.backup',
      '-p',
      '{operation_kwargs: {TARGET: /backups}, node_ids: [app]}',
    );
    expect(execute.stderr).toBe('');
    expect(execute.status).toBe(0);
    expect(eventLines(execute.stdout)).toContainEqual(
      expect.stringMatching(
        /^CFY <local> \[app_\w+\.backup\] Task succeeded 'script_runner\.tasks\.run' - backed up to \/backups$/,
      ),
    );

    const uninstall = await nestify(dir, 'local', 'uninstall');
    expect(uninstall.stderr).toBe('');
    expect(uninstall.status).toBe(0);
    const down = eventLines(uninstall.stdout);
    expect(down[down.length - 1]).toBe("CFY <local> 'uninstall' workflow execution succeeded");
    // Sources are torn down before their targets.
    expect(lineIndex(down, /INFO: deleting app_/)).toBeLessThan(
      lineIndex(down, /INFO: deleting db_/),
    );

    const state = JSON.parse(
      await readFile(join(dir, '.nestify-local', 'blueprint', 'state.json'), 'utf8'),
    );
    expect(state.deployment.instances.map((i: Instance) => i.state)).toEqual([
      'deleted',
      'deleted',
      'deleted',
    ]);
    expect(
      state.executions.map((e: { workflow_id: string; status: string }) => [
        e.workflow_id,
        e.status,
      ]),
    ).toEqual([
      ['install', 'terminated'],
      ['execute_operation', 'terminated'],
      ['uninstall', 'terminated'],
    ]);
    expect(byNode(state.deployment.instances, 'app').runtime_properties.backed_up).toBe(true);
  });

  it('fails with one readable line and a non-zero exit when a script fails; --json prints JSON lines', async () => {
    const dir = join(scratch, 'failing');
    await writeTree(dir, FAILING);
    const storage = join(dir, 'state');

    const run = await nestify(
      dir,
      'local',
      'install',
      'failing.yaml',
      '--storage-dir',
      storage,
      '--json',
    );
    expect(run.status).toBe(1);
    const errorLines = run.stderr.split('\n').filter((line) => line !== '');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(
      /^nestify: 'install' workflow execution failed: Task failed: script_runner\.tasks\.run \(broken_\w+:cloudify\.interfaces\.lifecycle\.create\): .*exit_code: 3/,
    );
    const events = run.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map(
        (line) =>
          JSON.parse(line) as { type: string; event_type?: string; message: { text: string } },
      );
    expect(events.map((e) => e.event_type).filter(Boolean)).toEqual(
      expect.arrayContaining([
        'workflow_started',
        'sending_task',
        'task_started',
        'task_failed',
        'workflow_failed',
      ]),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'cloudify_log', message: { text: '<err> about to fail' } }),
    );

    const listed = await nestify(dir, 'local', 'instances', '--storage-dir', storage);
    expect(JSON.parse(listed.stdout).map((i: Instance) => i.state)).toEqual(['creating']);
  });

  it('cancels on Ctrl-C: the running script is stopped and the command exits non-zero', async () => {
    const dir = join(scratch, 'slow');
    await writeTree(dir, SLOW);
    const run = startNestify(dir, 'local', 'install', 'slow.yaml');
    await waitFor(() => /<out> sleeping as \d+/.test(run.stdout()), 'the script to start');
    const scriptPid = Number(/<out> sleeping as (\d+)/.exec(run.stdout())?.[1]);
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.status).toBe(1);
    expect(eventLines(result.stdout)).toContain(
      "CFY <local> 'install' workflow execution cancelled",
    );
    expect(result.stderr).toContain("nestify: 'install' workflow execution was cancelled\n");
    await waitFor(() => !isAlive(scriptPid), 'the script to end', 10_000);
    const state = JSON.parse(
      await readFile(join(dir, '.nestify-local', 'slow', 'state.json'), 'utf8'),
    );
    expect(state.executions.map((e: { status: string }) => e.status)).toEqual(['cancelled']);
  });

  it('reports a blueprint that does not exist in one line, with a non-zero exit', async () => {
    const run = await nestify(scratch, 'local', 'install', 'missing/blueprint.yaml');
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `nestify: cannot read blueprint ${join(scratch, 'missing', 'blueprint.yaml')}: no such file\n`,
    );
  });
});
