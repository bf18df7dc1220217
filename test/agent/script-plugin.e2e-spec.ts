import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { requireRealPostgres } from '../support/database';
import { requireRealRabbit } from '../support/rabbitmq';
import { WorkerHarness } from './worker-harness';

const ready = requireRealPostgres() && requireRealRabbit();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The script plugin end to end: operation tasks on real RabbitMQ, scripts fetched from the REST
 * service's file server, `ctx` calls answered through the REST API on real PostgreSQL.
 */
(ready ? describe : describe.skip)('script plugin on the operation worker', () => {
  const harness = new WorkerHarness();

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  /** Puts a script among the blueprint's files on the file server. */
  async function blueprintScript(path: string, text: string): Promise<string> {
    const file = join(
      harness.resourcesDir,
      'blueprints',
      'default_tenant',
      harness.blueprintId,
      path,
    );
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    return path;
  }

  const runScript = (script: string, inputs = {}, context = {}) =>
    harness.run('script_runner.tasks.run', 'script', { script_path: script, ...inputs }, context);

  it('runs a bash script from the blueprint: ctx sets runtime properties and returns a value', async () => {
    const script = await blueprintScript(
      'scripts/create.sh',
      [
        '#!/bin/bash',
        'set -e',
        'echo "hello from $(ctx node id) on port $(ctx node properties port)"',
        'ctx instance runtime-properties endpoint "http://$(ctx node properties ip):${APP_PORT}"',
        'ctx instance runtime-properties config.replicas @3',
        'ctx logger info "configured $(ctx instance id)"',
        'echo "to stderr" >&2',
        'ctx returns @\'{"created": true}\'',
      ].join('\n'),
    );
    const reply = await runScript(script, { APP_PORT: 9090 });
    expect(reply).toEqual({ ok: true, result: { created: true } });
    const stored = await harness.storedInstance();
    expect(stored.runtimeProperties).toEqual({
      endpoint: 'http://10.0.0.5:9090',
      config: { replicas: 3 },
    });
    expect(stored.version).toBeGreaterThan(harness.instance.version);
    const texts = await harness.poll(() => {
      const lines = harness.logs.map((log) => (log.message as { text: string }).text);
      return lines.includes('<err> to stderr') ? lines : undefined;
    });
    expect(texts).toEqual(
      expect.arrayContaining([
        '<out> hello from web on port 8080',
        `configured ${harness.instance.id}`,
        '<err> to stderr',
      ]),
    );
    const log = harness.logs.find(
      (l) => (l.message as { text: string }).text === '<err> to stderr',
    );
    expect(log).toMatchObject({
      type: 'cloudify_log',
      level: 'info',
      message_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      context: {
        execution_id: harness.executionId,
        node_id: harness.instance.id,
        node_name: 'web',
      },
    });
  });

  it('runs a Python script written for Cloudify: `from cloudify import ctx`', async () => {
    const script = await blueprintScript(
      'scripts/create.py',
      [
        'from cloudify import ctx',
        "ctx.logger.info('python on %s, port %s', ctx.node.id, ctx.node.properties['port'])",
        "address = 'http://{0}:9090'.format(ctx.node.properties['ip'])",
        "ctx.instance.runtime_properties['endpoint'] = address",
        "ctx.instance.runtime_properties.update({'config': {'replicas': 3}})",
        "assert ctx.instance.runtime_properties['endpoint'] == address",
        "ctx.returns({'instance': ctx.instance.id, 'operation': ctx.operation.name})",
      ].join('\n'),
    );
    const reply = await runScript(script);
    expect(reply).toEqual({
      ok: true,
      result: { instance: harness.instance.id, operation: expect.any(String) },
    });
    expect((await harness.storedInstance()).runtimeProperties).toEqual({
      endpoint: 'http://10.0.0.5:9090',
      config: { replicas: 3 },
    });
    const line = await harness.poll(() =>
      harness.logs.find((l) => (l.message as { text: string }).text === 'python on web, port 8080'),
    );
    expect(line).toBeDefined();
  });

  it('ends the operation as Cloudify would for exceptions raised out of a Python script', async () => {
    const fatal = await blueprintScript(
      'scripts/fatal.py',
      "from cloudify.exceptions import NonRecoverableError\nraise NonRecoverableError('no way')\n",
    );
    expect(await runScript(fatal)).toMatchObject({
      ok: false,
      error: { known_exception_type: 'NonRecoverableError', message: 'no way' },
    });
    const later = await blueprintScript(
      'scripts/later.py',
      "from cloudify import exceptions\nraise exceptions.RecoverableError('busy', retry_after=7)\n",
    );
    expect(await runScript(later)).toMatchObject({
      ok: false,
      error: { known_exception_type: 'OperationRetry', known_exception_type_args: [7] },
    });
  });

  it('answers a RecoverableError (ProcessException) when the script exits 1', async () => {
    const script = await blueprintScript(
      'scripts/fail.sh',
      'echo partial\necho broken >&2\nexit 1\n',
    );
    const reply = await runScript(script);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error).toMatchObject({
      exception_type: 'ProcessException',
      known_exception_type: 'RecoverableError',
      known_exception_type_args: [null],
    });
    expect(reply.error.message).toContain('exit_code: 1');
    expect(reply.error.message).toContain('stderr: broken');
    expect(reply.error.known_exception_type_kwargs?.causes?.[0]).toMatchObject({
      type: 'ProcessException',
    });
  });

  it('answers a NonRecoverableError for ctx abort-operation', async () => {
    const script = await blueprintScript(
      'scripts/abort.sh',
      'ctx abort-operation "cannot work here"\necho "never reached"\n',
    );
    const reply = await runScript(script);
    expect(reply).toMatchObject({
      ok: false,
      error: { known_exception_type: 'NonRecoverableError', message: 'cannot work here' },
    });
  });

  it('answers an OperationRetry with retry_after for ctx retry-operation', async () => {
    const script = await blueprintScript(
      'scripts/retry.sh',
      'ctx instance runtime-properties attempt tried\nctx retry-operation "not yet" @30\n',
    );
    const reply = await runScript(script);
    expect(reply).toMatchObject({
      ok: false,
      error: {
        known_exception_type: 'OperationRetry',
        known_exception_type_args: [30],
        message: 'not yet',
      },
    });
    // Runtime properties are stored after a failure too.
    expect((await harness.storedInstance()).runtimeProperties).toMatchObject({ attempt: 'tried' });
  });

  it('refuses a second ending: returns after abort is an error for the script', async () => {
    const script = await blueprintScript(
      'scripts/twice.sh',
      'ctx returns @1\nctx abort-operation nope || echo "second ending refused"\n',
    );
    const reply = await runScript(script);
    expect(reply).toEqual({ ok: true, result: 1 });
    const refused = await harness.poll(() =>
      harness.logs.find((l) =>
        (l.message as { text: string }).text.includes('may only abort or return once'),
      ),
    );
    expect(refused).toBeDefined();
  });

  it('kills the script after the operation timeout and answers an error', async () => {
    const pidFile = join(harness.dataDir, 'timeout.pid');
    const script = await blueprintScript('scripts/slow.sh', `echo $$ > ${pidFile}\nsleep 60\n`);
    const started = Date.now();
    const reply = await runScript(script, {}, { timeout: 1, timeout_recoverable: false });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(reply).toMatchObject({
      ok: false,
      error: {
        known_exception_type: 'NonRecoverableError',
        message: 'Process killed due to timeout of 1 seconds',
      },
    });
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(await harness.poll(() => (isAlive(pid) ? undefined : true), 5000)).toBe(true);
  });

  it('kills a sleeping script on cancel-operation and sends no reply', async () => {
    const pidFile = join(harness.dataDir, 'cancel.pid');
    const script = await blueprintScript('scripts/sleep.sh', `echo $$ > ${pidFile}\nsleep 60\n`);
    const id = await harness.send('script_runner.tasks.run', 'script', { script_path: script });
    const pid = await harness.poll(async () => {
      const text = await readFile(pidFile, 'utf8').catch(() => '');
      return text.trim() ? Number(text) : undefined;
    });
    expect(pid).toBeDefined();
    await harness.cancelOperations(harness.executionId);
    expect(await harness.poll(() => (isAlive(pid!) ? undefined : true), 10_000)).toBe(true);
    expect(await harness.poll(() => (harness.worker.activeCount === 0 ? true : undefined))).toBe(
      true,
    );
    expect(harness.hasReply(id)).toBe(false);
  });

  it('runs inline script_source and a file:// script with process args and env', async () => {
    const inline = await harness.run('script_runner.tasks.run', 'script', {
      script_source: 'ctx returns "$GREETING-$1"',
      process: { env: { GREETING: 'hi' }, args: ['there'] },
    });
    expect(inline).toEqual({ ok: true, result: 'hi-there' });
    const local = join(harness.dataDir, 'local.js');
    await writeFile(
      local,
      "require('node:child_process').execFileSync('ctx', ['returns', `@${process.env.COUNT}`]);\n",
    );
    expect(await runScript(`file://${local}`, { COUNT: 7 })).toEqual({ ok: true, result: 7 });
  });
});
