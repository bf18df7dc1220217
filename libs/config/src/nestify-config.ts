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

export interface HttpSecuritySettings {
  /** Largest JSON / form body, in bytes. */
  jsonBodyLimitBytes: number;
  /** Failed authentications per client IP or username per window; 0 = unlimited. */
  authFailuresPerWindow: number;
  /** Tokens created per client IP or user per window; 0 = unlimited. */
  tokensPerWindow: number;
  authWindowMs: number;
  /** Client IPs from X-Forwarded-For (behind a reverse proxy). */
  trustProxy: boolean;
  auditBatchSize: number;
  auditBatchLatencyMs: number;
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

export interface EventsBridgeSettings {
  batchSize: number;
  batchLatencyMs: number;
  prefetch: number;
  writeMethod: 'insert' | 'copy';
  /** 0 = keep events and logs forever. */
  retentionDays: number;
  retentionIntervalMs: number;
  retentionChunk: number;
  /** 0 = no /metrics listener. */
  metricsPort: number;
}

export interface MgmtworkerSettings {
  /** Executions run at once. */
  maxWorkers: number;
  /** Operations the in-process central deployment agent runs at once. */
  maxOperationWorkers: number;
  /** Operation tasks in flight per execution. */
  maxConcurrentTasks: number;
  leaseTtlMs: number;
  statusPollMs: number;
  agentPingTimeoutMs: number;
  /** 0 = no /metrics listener. */
  metricsPort: number;
}

export interface PolicySettings {
  /** Where the policy engine starts executions (`http://127.0.0.1:<PORT>` by default). */
  managerUrl: string;
  syncIntervalMs: number;
  expiryCheckMs: number;
  /** 0 = no /metrics listener. */
  metricsPort: number;
}

export interface MetricsStoreSettings {
  batchSize: number;
  batchLatencyMs: number;
  rollupSeconds: number;
  /** 0 = keep raw values forever. */
  retentionHours: number;
  /** 0 = keep rollups forever. */
  rollupRetentionDays: number;
  retentionIntervalMs: number;
}

export interface NestifyConfig {
  port: number;
  dataDir: string;
  adminPassword: string;
  http: HttpSecuritySettings;
  auth: AuthSettings;
  resources: ResourceSettings;
  secrets: SecretsSettings;
  database: DatabaseSettings;
  messaging: MessagingSettings;
  events: EventsBridgeSettings;
  mgmtworker: MgmtworkerSettings;
  policies: PolicySettings;
  metricsStore: MetricsStoreSettings;
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
    http: {
      jsonBodyLimitBytes: env.HTTP_JSON_BODY_LIMIT_MB * 1024 * 1024,
      authFailuresPerWindow: env.AUTH_RATE_LIMIT_FAILURES,
      tokensPerWindow: env.AUTH_RATE_LIMIT_TOKENS,
      authWindowMs: env.AUTH_RATE_LIMIT_WINDOW_SECONDS * 1000,
      trustProxy: env.HTTP_TRUST_PROXY,
      auditBatchSize: env.AUDIT_BATCH_SIZE,
      auditBatchLatencyMs: env.AUDIT_BATCH_LATENCY_MS,
    },
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
    events: {
      batchSize: env.EVENTS_BATCH_SIZE,
      batchLatencyMs: env.EVENTS_BATCH_LATENCY_MS,
      prefetch: env.EVENTS_PREFETCH,
      writeMethod: env.EVENTS_WRITE_METHOD,
      retentionDays: env.EVENTS_RETENTION_DAYS,
      retentionIntervalMs: env.EVENTS_RETENTION_INTERVAL_MS,
      retentionChunk: env.EVENTS_RETENTION_CHUNK,
      metricsPort: env.BRIDGE_METRICS_PORT,
    },
    mgmtworker: {
      maxWorkers: env.MAX_WORKERS,
      maxOperationWorkers: env.MAX_OPERATION_WORKERS,
      maxConcurrentTasks: env.MAX_CONCURRENT_TASKS,
      leaseTtlMs: env.EXECUTION_LEASE_TTL_MS,
      statusPollMs: env.EXECUTION_STATUS_POLL_MS,
      agentPingTimeoutMs: env.AGENT_PING_TIMEOUT_MS,
      metricsPort: env.MGMTWORKER_METRICS_PORT,
    },
    policies: {
      managerUrl: (env.MANAGER_REST_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, ''),
      syncIntervalMs: env.POLICY_SYNC_INTERVAL_MS,
      expiryCheckMs: env.POLICY_EXPIRY_CHECK_MS,
      metricsPort: env.POLICY_METRICS_PORT,
    },
    metricsStore: {
      batchSize: env.METRICS_BATCH_SIZE,
      batchLatencyMs: env.METRICS_BATCH_LATENCY_MS,
      rollupSeconds: env.METRICS_ROLLUP_SECONDS,
      retentionHours: env.METRICS_RETENTION_HOURS,
      rollupRetentionDays: env.METRICS_ROLLUP_RETENTION_DAYS,
      retentionIntervalMs: env.METRICS_RETENTION_INTERVAL_MS,
    },
    log: {
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    },
  };
}
