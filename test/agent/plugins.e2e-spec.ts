import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireRealPostgres } from '../support/database';
import { requireRealRabbit } from '../support/rabbitmq';
import { WorkerHarness } from './worker-harness';

const ready = requireRealPostgres() && requireRealRabbit();

/** Plugins other than the script runner: an npm package from the plugins folder, and noop. */
(ready ? describe : describe.skip)('plugins on the operation worker', () => {
  const harness = new WorkerHarness();

  beforeAll(async () => {
    await harness.start();
    // A built plugin package as `npm install` leaves it under <NESTIFY_DATA_DIR>/plugins/<name>.
    const dir = join(harness.dataDir, 'plugins', 'my-plugin');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'package.json'), '{"name": "my-plugin", "main": "index.js"}');
    await writeFile(
      join(dir, 'index.js'),
      `exports.default = {
        name: 'my-plugin',
        module: 'my_plugin',
        operations: {
          'tasks.configure': async (ctx, inputs) => {
            ctx.instance.runtimeProperties.configured = inputs.value;
            ctx.logger.info('configuring ' + ctx.instance.id);
            return { node: ctx.node.id, port: ctx.node.properties.port };
          },
        },
      };`,
    );
  });
  afterAll(() => harness.stop());

  it('runs an operation of a plugin package and stores its runtime properties', async () => {
    const reply = await harness.run('my_plugin.tasks.configure', 'my-plugin', { value: 'yes' });
    expect(reply).toEqual({ ok: true, result: { node: 'web', port: 8080 } });
    expect((await harness.storedInstance()).runtimeProperties).toMatchObject({ configured: 'yes' });
  });

  it('answers a NonRecoverableError for a plugin that is not installed', async () => {
    const reply = await harness.run('other.tasks.run', 'not-installed', {});
    expect(reply).toMatchObject({
      ok: false,
      error: { known_exception_type: 'NonRecoverableError' },
    });
  });

  it('runs every task of a message that lists several, each answered under its own id', async () => {
    const ids = await harness.sendTogether([
      harness.task('noop.tasks.run', 'nestify-noop', {}),
      harness.task('other.tasks.run', 'not-installed', {}),
      { id: 'no-context', cloudify_task: { kwargs: {} } },
    ]);
    expect(await harness.reply(ids[0])).toEqual({ ok: true, result: null });
    expect(await harness.reply(ids[1])).toMatchObject({
      ok: false,
      error: { known_exception_type: 'NonRecoverableError' },
    });
    // An invalid task in a list is answered, not the whole message dead-lettered.
    expect(await harness.reply(ids[2])).toMatchObject({
      ok: false,
      error: { known_exception_type: 'NonRecoverableError' },
    });
  });

  it('runs the noop plugin without touching the manager', async () => {
    const reply = await harness.run(
      'noop.tasks.run',
      'nestify-noop',
      {},
      {
        execution_token: 'not-a-valid-token',
      },
    );
    expect(reply).toEqual({ ok: true, result: null });
  });
});
