import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { ArchiveEntry } from '../support/archives';
import { requireRealPostgres } from '../support/database';
import { requireRealRabbit } from '../support/rabbitmq';
import { ManagerHarness } from './manager-harness';
import { runLines, scriptBlueprint } from './script-blueprint';
import { eventually } from './support';

jest.setTimeout(240000);

const ready = requireRealPostgres() && requireRealRabbit();
const LIFECYCLE = 'cloudify.interfaces.lifecycle';
/** Stored task states of an operation handed to a worker and not answered yet. */
const DISPATCHED = new Set(['sending', 'sent', 'started']);

/**
 * Six independent instances whose create/configure/start each write `<instance> <op> begin`, sleep
 * a second and write `<instance> <op> end` to the run log. Nothing after the sleep talks to the
 * worker, so a script orphaned by a killed worker still records its end. No retries: a second run
 * of an operation can only come from a redelivery or a resume.
 */
const SLOW_BLUEPRINT = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
inputs:
  run_log: { type: string }
node_types:
  test.Slow:
    derived_from: cloudify.nodes.Root
    interfaces:
      ${LIFECYCLE}:
${['create', 'configure', 'start']
  .map(
    (op) =>
      `        ${op}: { executor: central_deployment_agent, max_retries: 0, implementation: scripts/slow.sh, inputs: { run_log: { default: { get_input: run_log } }, op: { default: ${op} } } }`,
  )
  .join('\n')}
node_templates:
  worker:
    type: test.Slow
    capabilities:
      scalable:
        properties: { default_instances: 6 }
`;

const SLOW_SH = `#!/bin/bash
set -e
me=$(ctx instance id)
echo "$me $op begin" >> "$run_log"
sleep 1
echo "$me $op end" >> "$run_log"
`;

function slowBlueprint(): ArchiveEntry[] {
  return [
    { name: 'bp/', kind: 'dir' },
    { name: 'bp/blueprint.yaml', body: SLOW_BLUEPRINT },
    { name: 'bp/scripts/', kind: 'dir' },
    { name: 'bp/scripts/slow.sh', body: SLOW_SH, mode: 0o755 },
  ];
}

interface StoredOperationRow {
  state: string;
  parameters: {
    task_kwargs?: {
      kwargs?: { __cloudify_context?: { node_id?: string; operation?: { name?: string } } };
    };
  } | null;
}

/** `<instance> <op>` of a lifecycle operation task (the row's own name is the plugin task's). */
function operationKey(row: StoredOperationRow): string | undefined {
  const context = row.parameters?.task_kwargs?.kwargs?.__cloudify_context;
  const operation = context?.operation?.name;
  if (!context?.node_id || !operation?.startsWith(`${LIFECYCLE}.`)) return undefined;
  return `${context.node_id} ${operation.slice(LIFECYCLE.length + 1)}`;
}

/** How many times each `<instance> <op>` began, and which began but never ended. */
function tally(lines: string[][]) {
  const begun = new Map<string, number>();
  const ended = new Map<string, number>();
  for (const [instance, op, phase] of lines) {
    const counts = phase === 'begin' ? begun : ended;
    const key = `${instance} ${op}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const unfinished = [...begun.keys()].filter((key) => (ended.get(key) ?? 0) < begun.get(key)!);
  return { begun, ended, unfinished };
}

(ready ? describe : describe.skip)('mgmtworker killed mid-install', () => {
  const manager = new ManagerHarness();

  beforeAll(async () => {
    await manager.start({ mgmtworker: false });
    await manager.uploadBlueprint('slow', slowBlueprint());
  });

  afterAll(() => manager.close());

  /** The stored state of each lifecycle operation task of the execution, by `<instance> <op>`. */
  async function operationStates(executionId: string): Promise<Map<string, string>> {
    const response = await manager
      .http('get', `operations?execution_id=${executionId}&_size=10000`)
      .expect(200);
    const states = new Map<string, string>();
    for (const row of response.body.items as StoredOperationRow[]) {
      const key = operationKey(row);
      if (key) states.set(key, row.state);
    }
    return states;
  }

  interface OperationRuns {
    key: string;
    storedAtKill: string;
    begunBeforeKill: boolean;
    runs: number;
    ends: number;
  }
  let instanceStates: string[] = [];
  let operations: OperationRuns[] = [];

  /** Kill -9 the mgmtworker mid-install, start another, and record what ran (once for all tests). */
  beforeAll(async () => {
    const runLog = join(manager.dataDir, 'slow.log');
    writeFileSync(runLog, '');
    const lines = () => runLines(readFileSync(runLog, 'utf8'));
    await manager.createDeployment('slow1', 'slow', { run_log: runLog });

    const first = manager.startMgmtworkerProcess();
    const executionId = await manager.startExecution('slow1', 'install');

    // Kill once some operations are stored as succeeded while a script of another one runs.
    await eventually(
      'succeeded operations and others in flight',
      async () => {
        const states = await operationStates(executionId);
        const running = tally(lines()).unfinished.filter((key) => states.get(key) !== 'succeeded');
        return [...states.values()].includes('succeeded') && running.length > 0 ? true : undefined;
      },
      120000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nmgmtworker output:\n${first.output()}`);
    });
    await first.stop('SIGKILL');
    expect(first.child.signalCode).toBe('SIGKILL');

    // The dead worker stores nothing more; the scripts it orphaned finish on their own.
    const statesAtKill = await operationStates(executionId);
    await eventually(
      'orphaned scripts to finish',
      () => (tally(lines()).unfinished.length === 0 ? true : undefined),
      10000,
    );
    const begunAtKill = new Set(tally(lines()).begun.keys());

    const second = manager.startMgmtworkerProcess();
    await manager.waitForStatus(executionId, 'terminated', 180000).catch((error: Error) => {
      throw new Error(`${error.message}\nsecond mgmtworker output:\n${second.output()}`);
    });

    const instances = await manager.instances('slow1');
    instanceStates = instances.map((i) => i.state);
    const { begun, ended } = tally(lines());
    operations = instances.flatMap((instance) =>
      ['create', 'configure', 'start'].map((op) => {
        const key = `${instance.id} ${op}`;
        return {
          key,
          storedAtKill: statesAtKill.get(key) ?? 'absent',
          begunBeforeKill: begunAtKill.has(key),
          runs: begun.get(key) ?? 0,
          ends: ended.get(key) ?? 0,
        };
      }),
    );
  });

  const succeededAtKill = () => operations.filter((op) => op.storedAtKill === 'succeeded');
  /** Handed to the worker (or its script had begun) and not stored as succeeded at the kill. */
  const inFlightAtKill = () =>
    operations.filter(
      (op) =>
        op.storedAtKill !== 'succeeded' && (op.begunBeforeKill || DISPATCHED.has(op.storedAtKill)),
    );

  it('the execution completes after the restart: every instance started, every operation ran', () => {
    expect(instanceStates).toEqual(Array(6).fill('started'));
    expect(operations).toHaveLength(18);
    // Every run that began also ended (no failures, no retries), and each operation ran.
    expect(operations.filter((op) => op.runs !== op.ends || op.runs < 1)).toEqual([]);
    // The kill really came mid-install: some operations had succeeded, some were running.
    expect(succeededAtKill().length).toBeGreaterThan(0);
    expect(inFlightAtKill().length).toBeGreaterThan(0);
  });

  it('no operation that succeeded before the kill (or was not dispatched yet) runs again', () => {
    const inFlight = inFlightAtKill();
    const others = operations.filter((op) => !inFlight.includes(op));
    expect(others.length).toBeGreaterThan(0);
    expect(others.filter((op) => op.runs !== 1)).toEqual([]);
  });

  // Its orphaned script (the dead worker's child) may finish on its own; after that the task
  // runs once more at most: the broker's redelivery of the dead worker's unacknowledged task and
  // the resumed engine's re-send carry the same task id, and the agent runs an id once.
  it('an operation in flight at the kill runs at most once more than its orphaned run', () => {
    expect(inFlightAtKill().filter((op) => op.runs > (op.begunBeforeKill ? 2 : 1))).toEqual([]);
  });
});

/** A plugin as its author writes it, in TypeScript against @nestify/plugin-sdk's types. */
const GREETER_TS = `import type { OperationContext, JsonMap, PluginDefinition } from '@nestify/plugin-sdk';

async function create(ctx: OperationContext, inputs: JsonMap): Promise<void> {
  ctx.instance.runtimeProperties.greeting = \`\${String(inputs.greeting)}, \${ctx.instance.id}\`;
  ctx.instance.runtimeProperties.port = ctx.node.properties.port;
}

async function start(ctx: OperationContext): Promise<void> {
  // Read back what create stored: start runs with a fresh ctx.
  ctx.instance.runtimeProperties.started_with = ctx.instance.runtimeProperties.greeting;
}

const greeter: PluginDefinition = {
  name: 'greeter',
  module: 'greeter_ops',
  operations: { create, start },
};
export default greeter;
`;

const GREETER_BLUEPRINT = `tosca_definitions_version: cloudify_dsl_1_4
imports: [cloudify/types/types.yaml]
plugins:
  greeter:
    executor: central_deployment_agent
    install: false
node_types:
  test.Web:
    derived_from: cloudify.nodes.Root
    properties:
      port: { type: integer }
node_templates:
  web:
    type: test.Web
    properties: { port: 8080 }
    capabilities:
      scalable:
        properties: { default_instances: 2 }
    interfaces:
      ${LIFECYCLE}:
        create: { implementation: greeter.greeter_ops.create, inputs: { greeting: hello } }
        start: greeter.greeter_ops.start
`;

(ready ? describe : describe.skip)('mgmtworker heal and plugins', () => {
  const manager = new ManagerHarness();

  beforeAll(async () => {
    await manager.start();
    await manager.uploadBlueprint('scripted', scriptBlueprint());
  });

  afterAll(() => manager.close());

  /** An installed deployment of the scripted blueprint, its instances and what ran after the install. */
  async function installed(id: string) {
    const runLog = join(manager.dataDir, `${id}.log`);
    writeFileSync(runLog, '');
    await manager.createDeployment(id, 'scripted', { run_log: runLog });
    await manager.run(id, 'install');
    const instances = await manager.instances(id);
    const installLines = runLines(readFileSync(runLog, 'utf8')).length;
    const ranSince = () => runLines(readFileSync(runLog, 'utf8')).slice(installLines);
    const containerOf = (instanceId: string) =>
      instances
        .find((i) => i.id === instanceId)!
        .relationships.find((r) => r.type === 'cloudify.relationships.contained_in')?.target_id;
    return { instances, ranSince, containerOf };
  }

  const opsOf = (lines: string[][], id: string) =>
    lines.filter((line) => line[0] === id).map((line) => line.slice(1).join(' '));
  const REINSTALLED = ['stop', 'delete', 'create', 'configure', 'start'];

  /** The app's own lifecycle plus its db relationship, in reinstall order. */
  function expectAppReinstalled(lines: string[][], appId: string, dbId: string) {
    // (rel.sh logs both sides of a relationship op under its source, the app)
    const ops = opsOf(lines, appId);
    const sides = (op: string) => [`${op} source ${dbId}`, `${op} target ${dbId}`];
    expect([...ops].sort()).toEqual(
      [...REINSTALLED, ...sides('unlink'), ...sides('preconfigure'), ...sides('establish')].sort(),
    );
    const order = [
      'stop',
      ...sides('unlink'),
      'delete',
      'create',
      ...sides('preconfigure'),
      'configure',
      'start',
      ...sides('establish'),
    ].map((op) => ops.indexOf(op));
    // Both sides of one step may run in either order.
    const steps = [[0], [1, 2], [3], [4], [5, 6], [7], [8], [9, 10]].map((group) =>
      group.map((i) => order[i]),
    );
    for (let i = 1; i < steps.length; i++) {
      expect(Math.max(...steps[i - 1])).toBeLessThan(Math.min(...steps[i]));
    }
    expect(opsOf(lines, dbId)).toEqual([]);
  }

  it('heal of an app: healthy by check_status, nothing runs; force_reinstall reinstalls the app (its own subgraph: no Compute host)', async () => {
    const dep = await installed('healed1');
    const [app, otherApp] = dep.instances.filter((i) => i.node_id === 'app');
    const db = dep.instances.find((i) => i.node_id === 'db')!;
    expect(app.host_id).toBeNull();

    // By default heal first runs check_status: a NOP here, which reports the app healthy.
    await manager.run('healed1', 'heal', { node_instance_id: otherApp.id });
    expect(dep.ranSince()).toEqual([]);

    // (Its instances carry a recorded ok status after the install, so an unchecked heal would
    // find them healthy too.) force_reinstall reinstalls the app's scope regardless.
    await manager.run('healed1', 'heal', {
      node_instance_id: app.id,
      diagnose_value: 'app does not answer',
      force_reinstall: true,
    });

    const lines = dep.ranSince();
    expectAppReinstalled(lines, app.id, db.id);
    expect(new Set(lines.map((line) => line[0]))).toEqual(new Set([app.id]));
    expect(opsOf(lines, otherApp.id)).toEqual([]);
    const after = await manager.instances('healed1');
    expect(after.map((i) => i.id)).toEqual(dep.instances.map((i) => i.id));
    expect(after.every((i) => i.state === 'started')).toBe(true);
    expect(after.find((i) => i.id === app.id)!.runtime_properties).toMatchObject({
      start_done: 'true',
      db_address: `addr-${db.id}`,
    });
  });

  it('heal force_reinstall of a host reinstalls its contained subgraph: the host and its app', async () => {
    const dep = await installed('healed2');
    const db = dep.instances.find((i) => i.node_id === 'db')!;
    const app = dep.instances.find((i) => i.node_id === 'app')!;
    const hostId = dep.containerOf(app.id)!;
    const otherApp = dep.instances.find((i) => i.node_id === 'app' && i.id !== app.id)!;

    await manager.run('healed2', 'heal', { node_instance_id: hostId, force_reinstall: true });

    const lines = dep.ranSince();
    expect(opsOf(lines, hostId)).toEqual(REINSTALLED);
    expectAppReinstalled(lines, app.id, db.id);
    const at = (id: string, op: string) => lines.findIndex((l) => l[0] === id && l[1] === op);
    // The app goes before its host is stopped and comes back after its host started.
    expect(at(app.id, 'delete')).toBeLessThan(at(hostId, 'stop'));
    expect(at(hostId, 'start')).toBeLessThan(at(app.id, 'create'));
    expect(new Set(lines.map((line) => line[0]))).toEqual(new Set([hostId, app.id]));
    expect(opsOf(lines, otherApp.id)).toEqual([]);
    const after = await manager.instances('healed2');
    expect(after.every((i) => i.state === 'started')).toBe(true);
  });

  it('installs with a TypeScript plugin from the plugins folder: its runtime properties are stored', async () => {
    // What `npm install` of the built plugin leaves under <NESTIFY_DATA_DIR>/plugins/<name>.
    const dir = join(manager.dataDir, 'plugins', 'greeter');
    mkdirSync(dir, { recursive: true });
    const compiled = ts.transpileModule(GREETER_TS, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      reportDiagnostics: true,
    });
    expect(compiled.diagnostics ?? []).toEqual([]);
    writeFileSync(join(dir, 'package.json'), '{"name": "greeter", "main": "dist/index.js"}');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.js'), compiled.outputText);
    await manager.uploadBlueprint('greeter', [
      { name: 'bp/', kind: 'dir' },
      { name: 'bp/blueprint.yaml', body: GREETER_BLUEPRINT },
    ]);
    await manager.createDeployment('greeted', 'greeter');

    const executionId = await manager.run('greeted', 'install');

    const instances = await manager.instances('greeted');
    expect(instances).toHaveLength(2);
    for (const instance of instances) {
      expect(instance.state).toBe('started');
      expect(instance.runtime_properties).toEqual({
        greeting: `hello, ${instance.id}`,
        port: 8080,
        started_with: `hello, ${instance.id}`,
      });
    }
    const succeeded = (await manager.events(executionId))
      .filter((e) => e.event_type === 'task_succeeded' && e.operation !== null)
      .map((e) => `${e.node_instance_id} ${e.operation}`);
    expect(succeeded.sort()).toEqual(
      instances
        .flatMap((i) => [`${i.id} ${LIFECYCLE}.create`, `${i.id} ${LIFECYCLE}.start`])
        .sort(),
    );
  });
});
