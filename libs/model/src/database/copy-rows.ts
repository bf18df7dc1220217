import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { copyTextChunks } from './copy-text';
import { SHARED_POOL_PG } from './shared-pool';

/**
 * Whether the database speaks COPY FROM STDIN: the embedded PGlite behind pglite-socket does not
 * (a COPY there never completes), a real PostgreSQL does.
 */
export function supportsCopy(dataSource: DataSource): boolean {
  return (dataSource.options as { driver?: unknown }).driver !== SHARED_POOL_PG;
}

/**
 * COPYs rows into `table` on the transaction of `em` (which must be a transaction's manager),
 * encoding them (an iterable: rows may be built as they are sent) in chunks while they stream.
 * For thousands of rows COPY is several times faster than a multi-row INSERT: PostgreSQL parses
 * each value once, with no query plan and no giant parameter to unpack.
 */
export async function copyRows(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly unknown[]>,
): Promise<void> {
  const runner = em.queryRunner;
  if (!runner) throw new Error('copyRows needs the entity manager of a transaction');
  const client = (await runner.connect()) as PoolClient;
  const quoted = columns.map((column) => `"${column}"`).join(', ');
  await pipeline(
    Readable.from(copyTextChunks(rows)),
    client.query(copyFrom(`COPY ${table} (${quoted}) FROM STDIN`)),
  );
}

/** A text[] literal (`{"a","b"}`) for COPY's text format. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
