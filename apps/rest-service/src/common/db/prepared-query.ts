import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Runs a statement, named (server-side prepared) unless `name` is undefined, for its rows. */
export type PreparedQuery = <R = Record<string, unknown>>(
  name: string | undefined,
  text: string,
  values: unknown[],
) => Promise<R[]>;

const byDataSource = new WeakMap<DataSource, PreparedQuery>();

/**
 * Named statements on TypeORM's own pg pool, for the hot reads that send their own SQL: each
 * connection parses and plans the statement once, and TypeORM's query runner is skipped. The
 * database's refusals still arrive as TypeORM's QueryFailedError, as the error filter expects
 * (a filter value that does not fit its column is the client's 400, not a 500). One runner per
 * data source, made on first use.
 */
export function preparedQuery(dataSource: DataSource): PreparedQuery {
  let run = byDataSource.get(dataSource);
  if (run) return run;
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  run = async <R>(name: string | undefined, text: string, values: unknown[]) => {
    try {
      return (await pool.query({ name, text, values })).rows as R[];
    } catch (error) {
      throw error instanceof Error && 'code' in error
        ? new QueryFailedError(text, values, error)
        : error;
    }
  };
  byDataSource.set(dataSource, run);
  return run;
}

/** Distinct generated statements kept prepared; each costs memory on every pooled connection. */
const MAX_GENERATED_STATEMENTS = 256;
const generatedNames = new Map<string, string>();

/**
 * A statement name for generated SQL (a list query's text depends on its filters, sort and
 * fields): the same text always gets the same name. Past MAX_GENERATED_STATEMENTS distinct texts,
 * undefined — run unnamed — so odd filter combinations cannot grow the server's memory unbounded.
 */
export function statementName(sql: string): string | undefined {
  const known = generatedNames.get(sql);
  if (known || generatedNames.size >= MAX_GENERATED_STATEMENTS) return known;
  const name = `generated_${createHash('sha1').update(sql).digest('hex')}`;
  generatedNames.set(sql, name);
  return name;
}
