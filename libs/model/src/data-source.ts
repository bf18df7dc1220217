import { DataSource } from 'typeorm';
import { loadConfig } from '@nestify/config';
import { buildDataSourceOptions } from './database/data-source-options';

/**
 * The TypeORM CLI's data source (`npm run migration:generate|run|revert`). The CLI needs a real
 * server: set DATABASE_URL (the embedded database lives inside a running nestify process).
 */
function cliDataSource(): DataSource {
  const config = loadConfig();
  if (!config.database.url) {
    throw new Error('DATABASE_URL must point at a PostgreSQL database for the TypeORM CLI');
  }
  return new DataSource(buildDataSourceOptions(config.database.url, 1));
}

export default cliDataSource();
