import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { DatabaseHealthService } from './database-health.service';
import { openDatabase } from './open-database';

/**
 * Data sources opened (and migrated) by the options factory, waiting for TypeOrmModule to ask for
 * them by the options object it was given. This lets openDatabase own the whole start-up —
 * embedded server, migrations under lock, seed — while TypeOrmModule still provides the
 * DataSource and repositories, and destroys the DataSource at shutdown (which also releases the
 * embedded server, see ManagedDataSource).
 */
const opened = new WeakMap<object, DataSource>();

async function openForNest(config: NestifyConfig): Promise<TypeOrmModuleOptions> {
  const handle = await openDatabase(config, { logger: new Logger('Database') });
  const options: TypeOrmModuleOptions = { ...handle.dataSource.options };
  opened.set(options, handle.dataSource);
  return options;
}

async function takeOpened(options: DataSourceOptions | undefined): Promise<DataSource> {
  const dataSource = options ? opened.get(options) : undefined;
  if (!dataSource) throw new Error('DatabaseModule: no opened data source for these options');
  return dataSource;
}

/**
 * The database for a Nest app: provides TypeORM's DataSource (and `TypeOrmModule.forFeature`
 * repositories) on a migrated, seeded database, plus DatabaseHealthService. Needs NESTIFY_CONFIG
 * (NestifyConfigModule).
 */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      // Infrastructure every context of an app uses: imported once by the app core.
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [NESTIFY_CONFIG],
          useFactory: openForNest,
          dataSourceFactory: takeOpened,
        }),
      ],
      providers: [DatabaseHealthService],
      exports: [TypeOrmModule, DatabaseHealthService],
    };
  }
}
