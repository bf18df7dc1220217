import { resolve } from 'node:path';
import { EnvironmentSource, validateEnvironment } from './environment';

export interface DatabaseSettings {
  /** Set for a real server; undefined means embedded PGlite. */
  url?: string;
  poolSize: number;
  /** Directory of the embedded database files. */
  embeddedDataDir: string;
}

export interface MessagingSettings {
  /** Set for a real RabbitMQ; undefined means the in-process bus. */
  url?: string;
  prefetch: number;
  maxMessageBytes: number;
  heartbeatIntervalMs: number;
}

export interface AuthSettings {
  /** Consecutive failed logins that lock a user. */
  failedLoginsBeforeLock: number;
  /** How long a lock lasts after the last failure; 0 = until the counter is reset. */
  accountLockPeriodMs: number;
}

export interface ResourceSettings {
  /** File-server root (blueprints, plugins, uploaded archives). */
  dir: string;
  /** Largest unpacked size of an uploaded archive. */
  maxUnpackedBytes: number;
}

export interface SecretsSettings {
  /** 32-byte AES-256-GCM key from SECRETS_KEY, if set. */
  key?: Buffer;
  /** Where the generated key is kept when SECRETS_KEY is unset. */
  keyFile: string;
}

export interface NestifyConfig {
  port: number;
  dataDir: string;
  adminPassword: string;
  auth: AuthSettings;
  resources: ResourceSettings;
  secrets: SecretsSettings;
  database: DatabaseSettings;
  messaging: MessagingSettings;
  log: { level: string; format: 'json' | 'pretty' };
}

/** Reads the whole configuration once from an environment (process.env by default). */
export function loadConfig(source: EnvironmentSource = process.env): NestifyConfig {
  const env = validateEnvironment(source);
  const dataDir = resolve(env.NESTIFY_DATA_DIR);
  return {
    port: env.PORT,
    dataDir,
    adminPassword: env.ADMIN_PASSWORD,
    auth: {
      failedLoginsBeforeLock: env.FAILED_LOGINS_BEFORE_LOCK,
      accountLockPeriodMs: env.ACCOUNT_LOCK_PERIOD_MINUTES * 60_000,
    },
    resources: {
      dir: resolve(env.RESOURCES_DIR ?? resolve(dataDir, 'resources')),
      maxUnpackedBytes: env.ARCHIVE_MAX_UNPACKED_MB * 1024 * 1024,
    },
    secrets: {
      key: env.SECRETS_KEY ? Buffer.from(env.SECRETS_KEY, 'base64') : undefined,
      keyFile: resolve(dataDir, 'secrets.key'),
    },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_URL ? env.DATABASE_POOL_SIZE : 1,
      embeddedDataDir: resolve(dataDir, 'data'),
    },
    messaging: {
      url: env.AMQP_URL,
      prefetch: env.AMQP_PREFETCH,
      maxMessageBytes: env.MESSAGE_MAX_BYTES,
      heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
    },
    log: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    },
  };
}
