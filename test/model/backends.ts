import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, NestifyConfig } from '@nestify/config';
import { createTestDatabase, requireRealPostgres } from '../support/database';

export const ADMIN_PASSWORD = 'test-admin-secret';

/** A place to run a suite: a fresh database on the real PostgreSQL, or a fresh embedded one. */
export interface Backend {
  name: string;
  embedded: boolean;
  /** A configuration pointing at a new, empty database; `cleanup` removes it. */
  prepare(): Promise<{ config: NestifyConfig; cleanup(): Promise<void> }>;
}

export const REAL_POSTGRES: Backend = {
  name: 'PostgreSQL',
  embedded: false,
  async prepare() {
    const database = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: database.url,
      ADMIN_PASSWORD,
      DATABASE_POOL_SIZE: '4',
    });
    return { config, cleanup: database.drop };
  },
};

export const EMBEDDED: Backend = {
  name: 'embedded PGlite',
  embedded: true,
  async prepare() {
    const dir = mkdtempSync(join(tmpdir(), 'nestify-model-'));
    const config = loadConfig({ NESTIFY_DATA_DIR: dir, ADMIN_PASSWORD });
    return { config, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/** Both backends; the real server only when reachable (in CI an unreachable one fails the run). */
export function backends(): Backend[] {
  return requireRealPostgres() ? [REAL_POSTGRES, EMBEDDED] : [EMBEDDED];
}
