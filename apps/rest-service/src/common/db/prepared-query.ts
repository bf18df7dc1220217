import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Runs a named (server-side prepared) statement and returns its rows. */
export type PreparedQuery = <R = Record<string, unknown>>(
  name: string,
  text: string,
  values: unknown[],
) => Promise<R[]>;

/**
 * Named statements on TypeORM's own pg pool, for the hot reads that send their own SQL: each
 * connection parses and plans the statement once, and TypeORM's query runner is skipped.
 */
export function preparedQuery(dataSource: DataSource): PreparedQuery {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  return async <R>(name: string, text: string, values: unknown[]) =>
    (await pool.query({ name, text, values })).rows as R[];
}
