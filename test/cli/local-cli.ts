import { ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { builtMain } from '../support/processes';

const ROOT = join(__dirname, '..', '..');
const SOURCE_MAIN = join(ROOT, 'apps', 'cli', 'src', 'main.ts');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** What it printed on stdout so far. */
  stdout(): string;
  done: Promise<CliResult>;
}

/**
 * The command line that starts the CLI: the build (`npm test` builds first; each start from the
 * sources through ts-node costs ~10 s), or the sources when TEST_CLI_FROM_SOURCE is set.
 */
function cliCommand(): string[] {
  if (!process.env.TEST_CLI_FROM_SOURCE) return [builtMain('cli')];
  const preload = ['ts-node/register/transpile-only', 'tsconfig-paths/register'].flatMap(
    (module) => ['-r', require.resolve(module, { paths: [ROOT] })],
  );
  return [...preload, SOURCE_MAIN];
}

/** Starts `nestify <args>` in `cwd` as a child process — the way a user runs the command. */
export function startNestify(cwd: string, ...args: string[]): RunningCli {
  return startNestifyWith({ cwd }, ...args);
}

/** startNestify with extra environment variables (e.g. NESTIFY_CLI_HOME for the profiles). */
export function startNestifyWith(
  options: { cwd: string; env?: Record<string, string> },
  ...args: string[]
): RunningCli {
  const child = spawn(process.execPath, [...cliCommand(), ...args], {
    cwd: options.cwd,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { child, stdout: () => stdout, done };
}

/** Runs `nestify <args>` in `cwd` to its end. */
export function nestify(cwd: string, ...args: string[]): Promise<CliResult> {
  return startNestify(cwd, ...args).done;
}

/** Resolves once `check` holds, polling; fails after the deadline. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Writes files (path → text) under `root`; `.sh` files are made executable. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
}

/** Lines of printed events without their timestamp: `CFY <local> [subject] text`. */
export function eventLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {2}/, ''));
}

/** Index of the first line matching `pattern`; fails the test when there is none. */
export function lineIndex(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`no line matches ${pattern}:\n${lines.join('\n')}`);
  return index;
}
