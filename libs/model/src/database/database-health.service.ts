import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';

export interface DatabaseHealth {
  ok: boolean;
  embedded: boolean;
  error?: string;
}

/** How long GET /status waits for the database before calling it down. */
const PING_TIMEOUT_MS = 3000;

/** Answers "can we reach the database now?" for GET /status and /ok. */
@Injectable()
export class DatabaseHealthService {
  private readonly embedded: boolean;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NESTIFY_CONFIG) config: NestifyConfig,
  ) {
    this.embedded = !config.database.url;
  }

  async ping(): Promise<DatabaseHealth> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { ok: true, embedded: this.embedded };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, embedded: this.embedded, error: message };
    } finally {
      clearTimeout(timer);
    }
  }
}
