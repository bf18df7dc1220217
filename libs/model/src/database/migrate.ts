import { DataSource, MigrationExecutor, QueryRunner } from 'typeorm';

/**
 * Applies pending migrations, all in one transaction, on the given connection (the one holding
 * the start-up lock: with a pool of one connection, asking the pool for another would wait
 * forever). Returns the names of the migrations applied.
 */
export async function runPendingMigrations(
  dataSource: DataSource,
  runner: QueryRunner,
): Promise<string[]> {
  const executor = new MigrationExecutor(dataSource, runner);
  executor.transaction = 'all';
  const applied = await executor.executePendingMigrations();
  return applied.map((migration) => migration.name);
}
