import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { REPO_ROOT } from './processes';

/** The real PostgreSQL the e2e suites use; each suite gets its own database on it. */
export const TEST_DATABASE_ADMIN_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** `postgres://…` of the new, empty database. */
  url: string;
  /** Drops the database (closing whatever still connects to it). */
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database on the real PostgreSQL. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `nestify_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_DATABASE_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let reachable: boolean | undefined;
let warned = false;

/**
 * Whether the real PostgreSQL answers, decided synchronously (a child process tries to connect)
 * so suites can choose `describe` or `describe.skip` while Jest collects them.
 */
export function isPostgresReachable(): boolean {
  if (reachable === undefined) {
    const probe = `
      const { Client } = require('pg');
      const client = new Client({ connectionString: process.env.PROBE_URL, connectionTimeoutMillis: 3000 });
      client.connect().then(() => client.query('SELECT 1')).then(() => client.end())
        .then(() => process.exit(0), () => process.exit(1));`;
    try {
      execFileSync(process.execPath, ['-e', probe], {
        cwd: REPO_ROOT,
        env: { ...process.env, PROBE_URL: TEST_DATABASE_ADMIN_URL },
        stdio: 'ignore',
        timeout: 10000,
      });
      reachable = true;
    } catch {
      reachable = false;
    }
  }
  return reachable;
}

/**
 * Call at the top of a suite that needs the real PostgreSQL. Returns true when it is reachable.
 * Otherwise: in CI (`CI=true`) throws, failing the suite; elsewhere warns and returns false so the
 * suite can skip itself (`(requireRealPostgres() ? describe : describe.skip)(…)`).
 */
export function requireRealPostgres(): boolean {
  if (isPostgresReachable()) return true;
  const message = `PostgreSQL is not reachable at ${TEST_DATABASE_ADMIN_URL}`;
  if (process.env.CI === 'true') throw new Error(`${message} (required in CI)`);
  if (!warned) {
    warned = true;
    console.warn(
      `${message}: skipping the suites that need it. Start it, or set TEST_DATABASE_ADMIN_URL.`,
    );
  }
  return false;
}
