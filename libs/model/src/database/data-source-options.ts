import { DataSourceOptions } from 'typeorm';
import { ALL_ENTITIES } from '../entities';
import { ALL_MIGRATIONS } from '../migrations';
import { SHARED_POOL_PG } from './shared-pool';

/** Name of the table TypeORM records applied migrations in. */
export const MIGRATIONS_TABLE = 'migrations';

/**
 * TypeORM options for our PostgreSQL schema at `url`. Never synchronizes: the schema changes only
 * through the migrations, which `openDatabase` runs under a lock (so not `migrationsRun` either).
 */
export function buildDataSourceOptions(
  url: string,
  poolSize: number,
  options: { sharedPool?: boolean } = {},
): DataSourceOptions {
  return {
    // The embedded database: one connection for every app of the process (see shared-pool.ts).
    ...(options.sharedPool ? { driver: SHARED_POOL_PG } : {}),
    type: 'postgres',
    url,
    entities: [...ALL_ENTITIES],
    migrations: [...ALL_MIGRATIONS],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'nestify',
    connectTimeoutMS: 10000,
    extra: { max: poolSize },
  };
}
