import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireRealPostgres } from '../support/database';
import { requireRealRabbit } from '../support/rabbitmq';
import { ManagerHarness } from './manager-harness';
import { eventually } from './support';
import { runLines, scriptBlueprint } from './script-blueprint';

jest.setTimeout(120000);

/**
 * Real workflows through the REST API: the REST service publishes the execution, the mgmtworker
 * runs it with libs/workflows' engine, its central deployment agent runs the bash scripts (which
 * set runtime properties through `ctx` over REST), and the logstash-bridge stores the events that
 * GET /events reads back — on real PostgreSQL and RabbitMQ.
 */
(requireRealPostgres() && requireRealRabbit() ? describe : describe.skip)(
  'mgmtworker workflows',
  () => {
    const manager = new ManagerHarness();
    let deploymentCount = 0;

    beforeAll(async () => {
      await manager.start();
      await manager.uploadBlueprint('scripted', scriptBlueprint());
    });

    afterAll(() => manager.close());

    /** A fresh deployment of the scripted blueprint with its own run log. */
    async function deploy(inputs: Record<string, unknown> = {}) {
      const id = `dep${++deploymentCount}`;
      const runLog = join(manager.dataDir, `${id}.log`);
      writeFileSync(runLog, '');
      await manager.createDeployment(id, 'scripted', { run_log: runLog, ...inputs });
      return { id, runLog, lines: () => runLines(readFileSync(runLog, 'utf8')) };
    }

    const indexOf = (lines: string[][], ...words: string[]) =>
      lines.findIndex((line) => words.every((word, i) => line[i] === word));

    it('install: every instance started with its runtime properties, events and relationship ops in lifecycle order; then uninstall and delete', async () => {
      const dep = await deploy();
      const executionId = await manager.run(dep.id, 'install');
      // Progress ends full: every counted task of the graph finished (workflows.md §9).
      const ended = (await manager.http('get', `executions/${executionId}`).expect(200)).body;
      expect(ended.total_operations).toBeGreaterThan(0);
      expect(ended.finished_operations).toBe(ended.total_operations);

      const instances = await manager.instances(dep.id);
      expect(instances).toHaveLength(5);
      expect(instances.every((i) => i.state === 'started')).toBe(true);
      const db = instances.find((i) => i.node_id === 'db')!;
      for (const instance of instances) {
        expect(instance.runtime_properties).toMatchObject({
          create_done: 'true',
          configure_done: 'true',
          start_done: 'true',
          address: `addr-${instance.id}`,
        });
      }
      const apps = instances.filter((i) => i.node_id === 'app');
      const hosts = instances.filter((i) => i.node_id === 'host');
      const hostOf = (app: (typeof apps)[number]) =>
        app.relationships.find((r) => r.type === 'cloudify.relationships.contained_in')!.target_id;
      for (const app of apps) {
        expect(app.runtime_properties.db_address).toBe(`addr-${db.id}`);
        expect(hosts.map((h) => h.id)).toContain(hostOf(app));
      }

      // Each script ran once, in lifecycle order; an app after its host and the db started.
      const lines = dep.lines();
      expect(lines).toHaveLength(5 * 3 + apps.length * 2 * 2);
      for (const app of apps) {
        const at = (...words: string[]) => {
          const index = indexOf(lines, app.id, ...words);
          expect(index).toBeGreaterThanOrEqual(0);
          return index;
        };
        expect(indexOf(lines, hostOf(app), 'start')).toBeLessThan(at('create'));
        expect(indexOf(lines, db.id, 'start')).toBeLessThan(at('create'));
        expect(at('create')).toBeLessThan(at('preconfigure', 'source', db.id));
        expect(at('create')).toBeLessThan(at('preconfigure', 'target', db.id));
        expect(at('preconfigure', 'source', db.id)).toBeLessThan(at('configure'));
        expect(at('preconfigure', 'target', db.id)).toBeLessThan(at('configure'));
        expect(at('configure')).toBeLessThan(at('start'));
        expect(at('start')).toBeLessThan(at('establish', 'source', db.id));
        expect(at('start')).toBeLessThan(at('establish', 'target', db.id));
      }

      // The events, stored by the bridge: the workflow's frame and each instance's lifecycle.
      const events = await manager.events(executionId);
      const types = events.filter((e) => e.type === 'cloudify_event').map((e) => e.event_type);
      expect(types[0]).toBe('workflow_started');
      expect(types[types.length - 1]).toBe('workflow_succeeded');
      // (subgraphs' task_succeeded name no operation)
      const operationsSucceeded = events.filter(
        (e) => e.event_type === 'task_succeeded' && e.operation !== null,
      );
      expect(operationsSucceeded).toHaveLength(lines.length);
      for (const app of apps) {
        const mine = events
          .filter((e) => e.node_instance_id === app.id && e.event_type === 'task_succeeded')
          .map((e) => e.operation);
        const order = [
          'cloudify.interfaces.lifecycle.create',
          'cloudify.interfaces.lifecycle.configure',
          'cloudify.interfaces.lifecycle.start',
        ].map((op) => mine.indexOf(op));
        expect(order.every((n) => n >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
      }

      // Uninstall: apps (and their unlinks) go before their host and the db.
      await manager.run(dep.id, 'uninstall');
      const after = await manager.instances(dep.id);
      expect(after.every((i) => i.state === 'deleted')).toBe(true);
      const un = dep.lines();
      for (const app of apps) {
        const unlink = indexOf(un, app.id, 'unlink', 'source', db.id);
        expect(unlink).toBeGreaterThan(indexOf(un, app.id, 'stop'));
        expect(indexOf(un, app.id, 'delete')).toBeGreaterThan(unlink);
        expect(indexOf(un, app.id, 'delete')).toBeLessThan(indexOf(un, hostOf(app), 'stop'));
        expect(indexOf(un, app.id, 'delete')).toBeLessThan(indexOf(un, db.id, 'stop'));
      }
      await manager.http('delete', `deployments/${dep.id}`).expect(204);
      await manager.http('get', `deployments/${dep.id}`).expect(404);
    });

    const appConfigureEvents = async (executionId: string, until: string) =>
      (await manager.events(executionId, until)).filter(
        (e) =>
          e.operation === 'cloudify.interfaces.lifecycle.configure' &&
          e.node_instance_id?.startsWith('app_'),
      );

    it('retries a failing script: fails twice, then succeeds (task_failed events, a new sending_task per retry)', async () => {
      const dep = await deploy({ behaviour: 'flaky:2' });
      const executionId = await manager.run(dep.id, 'install');
      const lines = dep.lines();
      const apps = (await manager.instances(dep.id)).filter((i) => i.node_id === 'app');
      for (const app of apps) {
        expect(lines.filter((l) => l[0] === app.id && l[1] === 'configure-attempt')).toHaveLength(
          3,
        );
        expect(lines.filter((l) => l[0] === app.id && l[1] === 'configure')).toHaveLength(1);
        expect(app.state).toBe('started');
      }
      const types = (await appConfigureEvents(executionId, 'workflow_succeeded')).map(
        (e) => e.event_type,
      );
      expect(types.filter((t) => t === 'task_failed')).toHaveLength(2 * apps.length);
      expect(types.filter((t) => t === 'sending_task')).toHaveLength(3 * apps.length);
      expect(types.filter((t) => t === 'task_succeeded')).toHaveLength(apps.length);
    });

    it('ctx abort-operation fails the execution with the error, without retries', async () => {
      const dep = await deploy({ behaviour: 'abort' });
      const executionId = await manager.startExecution(dep.id, 'install');
      const execution = await manager.waitForStatus(executionId, 'failed');
      expect(execution.error).toContain('app cannot be configured');
      const failed = (await appConfigureEvents(executionId, 'workflow_failed')).filter(
        (e) => e.event_type === 'task_failed',
      );
      expect(failed.length).toBeGreaterThanOrEqual(1);
      expect(failed.every((e) => e.message.includes('app cannot be configured'))).toBe(true);
      expect(
        (await appConfigureEvents(executionId, 'workflow_failed')).some(
          (e) => e.event_type === 'task_rescheduled',
        ),
      ).toBe(false);
    });

    it('resume after a failure reruns only the operations that had not succeeded', async () => {
      // 1 try + 3 retries all fail; the resumed run's next attempt succeeds.
      const dep = await deploy({ behaviour: 'flaky:4' });
      const executionId = await manager.startExecution(dep.id, 'install');
      await manager.waitForStatus(executionId, 'failed');
      const before = dep.lines();
      expect(before.filter((l) => l[1] === 'configure-attempt')).toHaveLength(8);
      await manager
        .http('post', `executions/${executionId}`)
        .send({ action: 'resume' })
        .expect(200);
      await manager.waitForStatus(executionId, 'terminated');
      const lines = dep.lines();
      const instances = await manager.instances(dep.id);
      expect(instances.every((i) => i.state === 'started')).toBe(true);
      const count = (from: string[][], id: string, op: string) =>
        from.filter((l) => l[0] === id && l[1] === op).length;
      for (const instance of instances) {
        for (const op of ['create', 'configure', 'start']) {
          expect(count(lines, instance.id, op)).toBe(1);
        }
      }
      // Each app's configure had used up its retries (4 attempts); the resume tries it once more.
      const apps = instances.filter((i) => i.node_id === 'app');
      expect(apps).toHaveLength(2);
      for (const app of apps) {
        expect(count(before, app.id, 'configure-attempt')).toBe(4);
        expect(count(lines, app.id, 'configure-attempt')).toBe(5);
      }
      // The preconfigure relationship ops had succeeded before the failure: not run again.
      expect(lines.filter((l) => l[1] === 'preconfigure')).toEqual(
        before.filter((l) => l[1] === 'preconfigure'),
      );
    });

    it('cancel mid-run ends the execution cancelled; kill also stops the running script', async () => {
      for (const action of ['cancel', 'kill'] as const) {
        const gate = join(manager.dataDir, `gate-${action}`);
        const dep = await deploy({ behaviour: `block:${gate}` });
        const executionId = await manager.startExecution(dep.id, 'install');
        await eventually(
          'the apps configuring',
          () =>
            dep.lines().filter((l) => l[1] === 'configure-blocked').length === 2 ? true : undefined,
          30000,
        );
        await manager.http('post', `executions/${executionId}`).send({ action }).expect(200);
        await manager.waitForStatus(executionId, 'cancelled');
        const events = await manager.events(executionId, 'workflow_cancelled');
        expect(events.some((e) => e.event_type === 'workflow_cancelled')).toBe(true);
        writeFileSync(gate, '');
        const configured = () =>
          dep.lines().filter((l) => l[0].startsWith('app_') && l[1] === 'configure').length;
        // A cancel lets the blocked scripts finish on their own; a kill aborted them.
        if (action === 'cancel') {
          await eventually('the scripts finished', () => (configured() === 2 ? true : undefined));
        } else {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          expect(configured()).toBe(0);
        }
        expect(dep.lines().some((l) => l[1] === 'start' && l[0].startsWith('app_'))).toBe(false);
      }
    });
  },
);

/**
 * `scale` and `execute_operation` through the REST API on real PostgreSQL and RabbitMQ: the
 * mgmtworker's deployment store starts and finishes the modification (instances inserted, then
 * deleted; node counts updated) while the scripts record which instances ran what.
 */
(requireRealPostgres() && requireRealRabbit() ? describe : describe.skip)(
  'mgmtworker scale and execute_operation',
  () => {
    const manager = new ManagerHarness();
    let deploymentCount = 0;

    beforeAll(async () => {
      await manager.start();
      await manager.uploadBlueprint('scripted', scriptBlueprint());
    });

    afterAll(() => manager.close());

    async function installed() {
      const id = `scaled${++deploymentCount}`;
      const runLog = join(manager.dataDir, `${id}.log`);
      writeFileSync(runLog, '');
      await manager.createDeployment(id, 'scripted', { run_log: runLog });
      await manager.run(id, 'install');
      return { id, lines: () => runLines(readFileSync(runLog, 'utf8')) };
    }

    async function appNode(deploymentId: string) {
      const response = await manager
        .http('get', `nodes?deployment_id=${deploymentId}&id=app`)
        .expect(200);
      return response.body.items[0] as {
        number_of_instances: number;
        planned_number_of_instances: number;
      };
    }

    const opsOf = (lines: string[][], instanceId: string) =>
      lines.filter((line) => line[0] === instanceId).map((line) => line.slice(1).join(' '));

    it('scale app +2 creates and starts two more apps per host; -2 stops, deletes and removes them', async () => {
      const dep = await installed();
      const before = await manager.instances(dep.id);
      const db = before.find((i) => i.node_id === 'db')!;
      const hosts = before.filter((i) => i.node_id === 'host').map((i) => i.id);
      const oldApps = before.filter((i) => i.node_id === 'app').map((i) => i.id);
      const installLines = dep.lines().length;

      await manager.run(dep.id, 'scale', { scalable_entity_name: 'app', delta: 2 });
      const grown = await manager.instances(dep.id);
      const apps = grown.filter((i) => i.node_id === 'app');
      expect(apps).toHaveLength(6);
      expect(grown).toHaveLength(9);
      expect(grown.every((i) => i.state === 'started')).toBe(true);
      const added = apps.filter((i) => !oldApps.includes(i.id));
      expect(added).toHaveLength(4);
      const containerOf = (app: (typeof apps)[number]) =>
        app.relationships.find((r) => r.type === 'cloudify.relationships.contained_in')!.target_id;
      for (const app of added) {
        expect(hosts).toContain(containerOf(app));
        expect(app.relationships.some((r) => r.target_id === db.id)).toBe(true);
        expect(app.runtime_properties).toMatchObject({
          start_done: 'true',
          db_address: `addr-${db.id}`,
        });
      }
      // Two new apps on each host; the scale ran the lifecycle of the new apps only.
      for (const host of hosts) {
        expect(added.filter((app) => containerOf(app) === host)).toHaveLength(2);
      }
      const scaleOut = dep.lines().slice(installLines);
      expect(new Set(scaleOut.map((line) => line[0]))).toEqual(new Set(added.map((app) => app.id)));
      for (const app of added) {
        expect(opsOf(scaleOut, app.id)).toEqual(
          expect.arrayContaining(['create', 'configure', 'start', `establish source ${db.id}`]),
        );
      }
      expect(await appNode(dep.id)).toMatchObject({
        number_of_instances: 3,
        planned_number_of_instances: 3,
      });

      const grownLines = dep.lines().length;
      await manager.run(dep.id, 'scale', { scalable_entity_name: 'app', delta: -2 });
      const shrunk = await manager.instances(dep.id);
      expect(shrunk).toHaveLength(5);
      expect(shrunk.every((i) => i.state === 'started')).toBe(true);
      const remaining = shrunk.filter((i) => i.node_id === 'app').map((i) => i.id);
      expect(remaining).toHaveLength(2);
      const removed = apps.map((app) => app.id).filter((id) => !remaining.includes(id));
      expect(removed).toHaveLength(4);
      const scaleIn = dep.lines().slice(grownLines);
      for (const id of removed) {
        const ops = opsOf(scaleIn, id);
        expect(ops).toEqual(expect.arrayContaining(['stop', `unlink source ${db.id}`]));
        expect(ops.indexOf('stop')).toBeLessThan(ops.indexOf('delete'));
        await manager.http('get', `node-instances/${id}`).expect(404);
      }
      // Only the removed apps (and the db side of their unlinks) ran anything.
      for (const line of scaleIn) {
        expect([...removed, db.id]).toContain(line[0]);
      }
      expect(await appNode(dep.id)).toMatchObject({
        number_of_instances: 1,
        planned_number_of_instances: 1,
      });
    });

    it('execute_operation with node_ids runs the custom operation on that node instances only', async () => {
      const dep = await installed();
      const installLines = dep.lines().length;
      await manager.run(dep.id, 'execute_operation', {
        operation: 'test.custom.touch',
        node_ids: ['app'],
      });
      const apps = (await manager.instances(dep.id))
        .filter((i) => i.node_id === 'app')
        .map((i) => i.id);
      const ran = dep.lines().slice(installLines);
      expect(ran.map((line) => line.join(' ')).sort()).toEqual(
        apps.map((id) => `${id} touch`).sort(),
      );
      const touched = (await manager.instances(dep.id)).filter(
        (i) => i.runtime_properties.touch_done === 'true',
      );
      expect(touched.map((i) => i.id).sort()).toEqual([...apps].sort());
    });
  },
);
