import { existsSync } from 'node:fs';
import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { getRepositoryToken, InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource, Repository } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { loadConfig, NestifyConfig, NestifyConfigModule } from '@nestify/config';
import {
  ALL_MIGRATIONS,
  Blueprint,
  DatabaseHealthService,
  DatabaseModule,
  openDatabase,
  STARTUP_ADVISORY_LOCK_KEY,
} from '@nestify/model';
import { requireRealPostgres } from '../support/database';
import { Backend, backends, EMBEDDED, REAL_POSTGRES } from './backends';

function urlOf(dataSource: DataSource): string {
  return String((dataSource.options as PostgresConnectionOptions).url);
}

async function scalar(dataSource: DataSource, sql: string): Promise<number> {
  const [row] = await dataSource.query(sql);
  return Number(Object.values(row as Record<string, unknown>)[0]);
}

/** Polls until `probe` holds; fails after the deadline. No fixed sleeps. */
async function until(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 10000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

@Injectable()
class BlueprintCounter {
  constructor(@InjectRepository(Blueprint) private readonly blueprints: Repository<Blueprint>) {}

  count(): Promise<number> {
    return this.blueprints.count();
  }
}

@Module({ imports: [TypeOrmModule.forFeature([Blueprint])], providers: [BlueprintCounter] })
class BlueprintCounterModule {}

function nestApp(config: NestifyConfig): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [
      NestifyConfigModule.forConfig(config),
      DatabaseModule.forRoot(),
      BlueprintCounterModule,
    ],
  }).compile();
}

describe.each(backends())('DatabaseModule on $name', (backend: Backend) => {
  let config: NestifyConfig;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const prepared = await backend.prepare();
    config = prepared.config;
    cleanup = prepared.cleanup;
  });

  afterAll(() => cleanup());

  it('provides a migrated DataSource, feature repositories and a health probe', async () => {
    const app = await nestApp(config);
    try {
      const dataSource = app.get(DataSource);
      expect(dataSource.isInitialized).toBe(true);
      expect(await scalar(dataSource, 'SELECT count(*) FROM migrations')).toBe(
        ALL_MIGRATIONS.length,
      );
      expect(app.get(getRepositoryToken(Blueprint))).toBeInstanceOf(Repository);
      expect(await app.get(BlueprintCounter).count()).toBe(0);
      expect(await app.get(DatabaseHealthService).ping()).toEqual({
        ok: true,
        embedded: backend.embedded,
      });
    } finally {
      await app.close();
    }
  });

  it('lets several apps in one process start together: one migrates, all share the database', async () => {
    const fresh = await backend.prepare();
    const apps = await Promise.all([1, 2, 3].map(() => nestApp(fresh.config)));
    const sources = apps.map((app) => app.get(DataSource));
    expect(new Set(sources.map(urlOf)).size).toBe(1);
    expect(await scalar(sources[0], 'SELECT count(*) FROM migrations')).toBe(ALL_MIGRATIONS.length);
    expect(await scalar(sources[0], `SELECT count(*) FROM users WHERE username = 'admin'`)).toBe(1);
    await apps[0].close();
    // The others keep working after one app closed (the embedded server is reference counted).
    expect(await apps[2].get(DatabaseHealthService).ping()).toMatchObject({ ok: true });
    await Promise.all(apps.slice(1).map((a) => a.close()));
    expect(sources.every((source) => !source.isInitialized)).toBe(true);
    if (backend.embedded)
      expect(existsSync(`${fresh.config.database.embeddedDataDir}.lock`)).toBe(false);
    await fresh.cleanup();
  });
});

describe('embedded PGlite lifecycle', () => {
  let config: NestifyConfig;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const prepared = await EMBEDDED.prepare();
    config = prepared.config;
    cleanup = prepared.cleanup;
  });

  afterAll(() => cleanup());

  it('keeps its data across a restart and stops when its last user closes', async () => {
    const first = await openDatabase(config);
    const second = await openDatabase(config);
    expect(first.embedded).toBe(true);
    expect(urlOf(second.dataSource)).toBe(urlOf(first.dataSource));
    await first.dataSource.query(
      `INSERT INTO sites (id, name, visibility, _tenant_id, _creator_id) VALUES ('m', 'marker', 'tenant', 0, 0)`,
    );
    const [{ password: hashBefore }] = await first.dataSource.query(
      `SELECT password FROM users WHERE id = 0`,
    );
    await first.close();
    expect(
      await scalar(second.dataSource, `SELECT count(*) FROM sites WHERE name = 'marker'`),
    ).toBe(1);
    const url = urlOf(second.dataSource);
    await second.close();

    const probe = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    await expect(probe.connect()).rejects.toThrow();
    expect(existsSync(`${config.database.embeddedDataDir}.lock`)).toBe(false);

    const reopened = await openDatabase(config);
    try {
      expect(
        await scalar(reopened.dataSource, `SELECT count(*) FROM sites WHERE name = 'marker'`),
      ).toBe(1);
      expect(await scalar(reopened.dataSource, 'SELECT count(*) FROM migrations')).toBe(
        ALL_MIGRATIONS.length,
      );
      const [{ password: hashAfter }] = await reopened.dataSource.query(
        `SELECT password FROM users WHERE id = 0`,
      );
      expect(hashAfter).toBe(hashBefore);
    } finally {
      await reopened.close();
    }
  });

  it('advisory locks do not exclude other connections (all share one session): why start-up also locks in-process', async () => {
    const handle = await openDatabase(config);
    const clients = [0, 1].map(() => new Client({ connectionString: urlOf(handle.dataSource) }));
    try {
      await Promise.all(clients.map((client) => client.connect()));
      await clients[0].query('SELECT pg_advisory_lock(42)');
      const [{ locked }] = (await clients[1].query('SELECT pg_try_advisory_lock(42) AS locked'))
        .rows;
      expect(locked).toBe(true);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
      await handle.close();
    }
  });
});

(requireRealPostgres() ? describe : describe.skip)('start-up on a real PostgreSQL', () => {
  let config: NestifyConfig;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const prepared = await REAL_POSTGRES.prepare();
    config = prepared.config;
    cleanup = prepared.cleanup;
  });

  afterAll(() => cleanup());

  it('waits for the advisory lock held by another process before migrating', async () => {
    const url = String(config.database.url);
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      let settled = false;
      const opening = openDatabase(config).finally(() => (settled = true));
      await until('openDatabase to wait on the lock', async () => {
        const { rows } = await other.query(
          `SELECT count(*)::int AS n FROM pg_locks
           WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        return rows[0].n > 0;
      });
      expect(settled).toBe(false);
      const [{ exists }] = (
        await other.query(`SELECT to_regclass('public.users') IS NOT NULL AS exists`)
      ).rows;
      expect(exists).toBe(false);
      await other.query('SELECT pg_advisory_unlock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      const handle = await opening;
      expect(await scalar(handle.dataSource, 'SELECT count(*) FROM migrations')).toBe(
        ALL_MIGRATIONS.length,
      );
      await handle.close();
    } finally {
      await other.end();
    }
  });

  it('fails fast, with the reason, when the server is unreachable', async () => {
    const unreachable = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nestify' });
    await expect(openDatabase(unreachable)).rejects.toThrow(/ECONNREFUSED/);
  });
});
