import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * Path of a compiled entry point (`npm test` builds before running the suites), under `dist/` or
 * under TEST_DIST_DIR (a build kept apart from the shared one).
 */
export function builtMain(app: string): string {
  const dist = process.env.TEST_DIST_DIR ?? join(REPO_ROOT, 'dist');
  return join(dist, 'apps', app, 'src', 'main.js');
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then wait for the exit code (SIGKILL after the deadline). */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** The environment without anything that would point nestify somewhere other than its defaults. */
export function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^(DATABASE_|AMQP_|NESTIFY_|ADMIN_PASSWORD|PORT$|LOG_|HEARTBEAT_|MESSAGE_)/.test(name))
      delete env[name];
  }
  return { ...env, LOG_FORMAT: 'json', ...extra };
}

export function startNode(script: string, env: NodeJS.ProcessEnv, cwd = REPO_ROOT): RunningProcess {
  const child = spawn(process.execPath, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    output: () => output,
    async stop(timeoutMs = 20000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Polls `probe` until it returns a value or the deadline passes; no fixed sleeps in assertions. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** GET a JSON document; undefined until the server answers with `expectedStatus`. */
export async function getJson(
  url: string,
  expectedStatus = 200,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(url, { headers });
  if (response.status !== expectedStatus) return undefined;
  return response.json();
}
