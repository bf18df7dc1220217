import { buildScriptEnv, processOptionsOf } from './script-env';

describe('buildScriptEnv', () => {
  const build = (inputs = {}, processEnv = {}) =>
    buildScriptEnv({
      base: { PATH: '/usr/bin', HOME: '/root' },
      inputs,
      processEnv,
      ctxSocketUrl: 'http://127.0.0.1:1234/t',
      binDir: '/tmp/ctx-bin',
    });

  it('passes strings as-is and everything else as JSON', () => {
    const env = build({
      name: 'web',
      port: 8080,
      on: true,
      tags: ['a'],
      conf: { x: 1 },
      none: null,
    });
    expect(env).toMatchObject({
      name: 'web',
      port: '8080',
      on: 'true',
      tags: '["a"]',
      conf: '{"x":1}',
      none: 'null',
    });
  });

  it('leaves out the runner settings and names that cannot be variables', () => {
    const env = build({ script_path: 'a.sh', process: { env: {} }, 'bad-name': 'x' });
    expect(env).not.toHaveProperty('script_path');
    expect(env).not.toHaveProperty('process');
    expect(env).not.toHaveProperty('bad-name');
  });

  it('lets process.env win over inputs, and puts the ctx bin dir first on PATH', () => {
    const env = build({ port: 1 }, { port: 2, EXTRA: 'yes' });
    expect(env.port).toBe('2');
    expect(env.EXTRA).toBe('yes');
    expect(env.PATH).toBe('/tmp/ctx-bin:/usr/bin');
    expect(env.CTX_SOCKET_URL).toBe('http://127.0.0.1:1234/t');
    expect(env.HOME).toBe('/root');
  });
});

describe('processOptionsOf', () => {
  it('defaults to logging both streams with no prefix or args', () => {
    expect(processOptionsOf(undefined)).toEqual({
      env: {},
      cwd: undefined,
      commandPrefix: undefined,
      args: [],
      logStdout: true,
      logStderr: true,
    });
  });

  it('reads env, cwd, command_prefix, args and the log switches', () => {
    expect(
      processOptionsOf({
        env: { A: 'b' },
        cwd: '/tmp',
        command_prefix: '/bin/bash',
        args: ['x', 2],
        log_stderr: false,
      }),
    ).toMatchObject({
      env: { A: 'b' },
      cwd: '/tmp',
      commandPrefix: '/bin/bash',
      args: ['x', '2'],
      logStderr: false,
    });
  });
});
