import { DataSource } from 'typeorm';
import { LoggerLike, SILENT_LOGGER } from '@nestify/common';
import type { NestifyConfig } from '@nestify/config';
import { seedBootstrap } from '../seed/bootstrap-seed';
import { buildDataSourceOptions } from './data-source-options';
import { acquireEmbeddedPostgres } from './embedded-postgres';
import { ManagedDataSource } from './managed-data-source';
import { runPendingMigrations } from './migrate';
import { withStartupLock } from './startup-lock';
import { TypeOrmLoggerAdapter } from './typeorm-logger';

export interface OpenDatabaseOptions {
  logger?: LoggerLike;
}

/** An open, migrated and seeded database. */
export interface DatabaseHandle {
  readonly dataSource: DataSource;
  /** True when this is the embedded PGlite rather than a real server. */
  readonly embedded: boolean;
  /** Closes the connections (and the embedded server, if this was its last user). */
  close(): Promise<void>;
}

interface ConnectionTarget {
  url: string;
  poolSize: number;
  embedded: boolean;
  /** Start-up work on the same database (same embedded directory or URL) takes turns on this key. */
  lockKey: string;
  release(): Promise<void>;
}

/**
 * Connects to the configured database — the real PostgreSQL at `database.url`, or else the
 * embedded one in `database.embeddedDataDir` — then applies pending migrations and the bootstrap
 * seed under the start-up lock. The framework-free way in, for scripts and tests; Nest apps use
 * DatabaseModule, which calls this.
 */
export async function openDatabase(
  config: NestifyConfig,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const logger = options.logger ?? SILENT_LOGGER;
  const target = await connectionTarget(config, logger);
  const dataSource = new ManagedDataSource(
    {
      ...buildDataSourceOptions(target.url, target.poolSize, { sharedPool: target.embedded }),
      logger: new TypeOrmLoggerAdapter(logger),
    },
    target.release,
  );
  try {
    await dataSource.initialize();
    await prepareSchema(dataSource, target.lockKey, config.adminPassword, logger);
  } catch (error) {
    await dataSource.shutdown();
    throw error;
  }
  return { dataSource, embedded: target.embedded, close: () => dataSource.shutdown() };
}

async function connectionTarget(
  config: NestifyConfig,
  logger: LoggerLike,
): Promise<ConnectionTarget> {
  const { url, poolSize, embeddedDataDir } = config.database;
  if (url) {
    return {
      url,
      poolSize,
      embedded: false,
      lockKey: `url:${url}`,
      release: async () => undefined,
    };
  }
  const lease = await acquireEmbeddedPostgres(embeddedDataDir, logger);
  // One connection per app: PGlite runs one query at a time and its socket multiplexer keeps a
  // transaction's statements together only per connection.
  return {
    url: lease.url,
    poolSize: 1,
    embedded: true,
    lockKey: `embedded:${embeddedDataDir}`,
    release: () => lease.release(),
  };
}

async function prepareSchema(
  dataSource: DataSource,
  lockKey: string,
  adminPassword: string,
  logger: LoggerLike,
): Promise<void> {
  await withStartupLock(dataSource, lockKey, async (runner) => {
    const applied = await runPendingMigrations(dataSource, runner);
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
    const seed = await runner.manager.transaction((manager) =>
      seedBootstrap(manager, { adminPassword }),
    );
    if (seed.adminCreated) logger.log('Created the bootstrap user admin in default_tenant');
  });
}
