import { DataSource, QueryRunner } from 'typeorm';
import { withProcessLock } from './process-lock';

/** Our key for pg_advisory_lock (any constant no other program on the database uses). */
export const STARTUP_ADVISORY_LOCK_KEY = 4_113_705_001;

/**
 * Runs start-up work (migrations, seed) on one dedicated connection while holding a PostgreSQL
 * advisory lock, so apps and processes starting together take turns. The in-process lock on
 * `processKey` is what serialises apps sharing the embedded database: there every connection is
 * the same PostgreSQL session, and session advisory locks never block each other.
 */
export async function withStartupLock<T>(
  dataSource: DataSource,
  processKey: string,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  return withProcessLock(processKey, async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      try {
        return await work(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_ADVISORY_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  });
}
