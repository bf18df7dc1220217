import { Logger as TypeOrmLogger } from 'typeorm';
import { LoggerLike } from '@nestify/common';

/**
 * Sends what TypeORM has to say about migrations and schema to our logger. Queries, and query
 * errors (a unique violation is often expected and handled by the caller), stay quiet.
 */
export class TypeOrmLoggerAdapter implements TypeOrmLogger {
  constructor(private readonly logger: LoggerLike) {}

  logQuery(): void {}

  logQueryError(): void {}

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${query}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug?.(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug?.(String(message));
  }
}
