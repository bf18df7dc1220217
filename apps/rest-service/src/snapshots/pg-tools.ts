import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Up to 10 minutes per dump or restore; a manager's database is small next to that. */
const TIMEOUT_MS = 600_000;

/**
 * A connection URL split so the password travels in the environment (PGPASSWORD), never on the
 * command line where `ps` would show it.
 */
function connection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (password) env.PGPASSWORD = password;
  return { dbname: url.toString(), env };
}

async function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await run(tool, args, { env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed (PostgreSQL client tools are needed for snapshots)`,
      );
    }
    const detail = (failure.stderr ?? '').trim().split('\n').slice(-3).join(' ');
    throw new Error(`${tool} failed: ${detail || failure.message}`);
  }
}

/**
 * Dumps the whole database to `file` in pg_dump's custom format; the tables named in
 * `withoutDataOf` keep their definition but not their rows.
 */
export async function dumpDatabase(
  databaseUrl: string,
  file: string,
  withoutDataOf: readonly string[] = [],
): Promise<void> {
  const { dbname, env } = connection(databaseUrl);
  await runTool(
    'pg_dump',
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      ...withoutDataOf.map((table) => `--exclude-table-data=${table}`),
      `--file=${file}`,
      `--dbname=${dbname}`,
    ],
    env,
  );
}

/** What runs around the dump's own statements, in the same transaction. */
export interface RestoreScripts {
  /** First: e.g. take every lock up front. */
  before: string;
  /** Last: e.g. write back rows the dump must not replace. */
  after: string;
}

const DEADLOCK = /deadlock detected/;
const ATTEMPTS = 3;

/**
 * Replaces the database's objects with those of a dump, between `scripts.before` and
 * `scripts.after`, all in one transaction: on any error nothing changes, and no reader ever
 * sees the tables half-replaced. pg_restore turns the dump into a script (dropping each object
 * before re-creating it) and psql runs the three files. A deadlock with readers (possible only
 * while the locks are being taken) aborts the transaction cleanly, so it is tried again.
 */
export async function restoreDatabase(
  databaseUrl: string,
  dumpFile: string,
  workDir: string,
  scripts: RestoreScripts,
): Promise<void> {
  const { dbname, env } = connection(databaseUrl);
  const files = ['before.sql', 'restore.sql', 'after.sql'].map((name) => join(workDir, name));
  await writeFile(files[0], scripts.before);
  await writeFile(files[2], scripts.after);
  await runTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--no-privileges', `--file=${files[1]}`, dumpFile],
    env,
  );
  const args = [
    '--no-psqlrc',
    '--quiet',
    '--single-transaction',
    '--set=ON_ERROR_STOP=1',
    ...files.map((file) => `--file=${file}`),
    `--dbname=${dbname}`,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTool('psql', args, env);
    } catch (error) {
      if (attempt >= ATTEMPTS || !DEADLOCK.test(messageOf(error))) throw error;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
