import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^(true|false|1|0)$/i.test(value.trim())
    ? /^(true|1)$/i.test(value.trim())
    : value;
const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable nestify reads, with its default. This class is the only place that
 * knows their names; the README lists them from here.
 */
export class EnvironmentVariables {
  /** HTTP port of the REST service. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8100;

  /** Where embedded data (PostgreSQL files, resources) lives. */
  @IsString()
  @MinLength(1)
  NESTIFY_DATA_DIR = './.nestify';

  /** Password of the bootstrap `admin` user, applied when the user is first created. */
  @IsString()
  @MinLength(1)
  ADMIN_PASSWORD = 'admin';

  /** `postgres://…` of a real PostgreSQL; unset means the embedded one under NESTIFY_DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, {
    message: 'DATABASE_URL must start with postgres:// or postgresql://',
  })
  DATABASE_URL?: string;

  /** Connections in TypeORM's pool (the embedded database always gets 1). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** `amqp://…` of a real RabbitMQ; unset means the in-process message bus. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^amqps?:\/\//, { message: 'AMQP_URL must start with amqp:// or amqps://' })
  AMQP_URL?: string;

  /** Unacknowledged messages a consumer may hold (back-pressure). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  AMQP_PREFETCH = 100;

  /** Largest message body accepted; larger ones are dead-lettered with reason `too_large`. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  MESSAGE_MAX_BYTES = 1024 * 1024;

  /** How often each app announces it is alive (for GET /status). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  HEARTBEAT_INTERVAL_MS = 5000;

  /** Consecutive wrong passwords after which a user is locked (401 even with the right one). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FAILED_LOGINS_BEFORE_LOCK = 5;

  /** How long a lock lasts after the last failed login; 0 keeps it until the counter is reset. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  ACCOUNT_LOCK_PERIOD_MINUTES = 30;

  /** Largest JSON or form request body the REST service reads, in MiB (larger: 413). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  HTTP_JSON_BODY_LIMIT_MB = 50;

  /**
   * Failed authentications (wrong password or token) one client IP, or one username, may make in
   * AUTH_RATE_LIMIT_WINDOW_SECONDS before further attempts get 429; 0 turns the limit off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUTH_RATE_LIMIT_FAILURES = 20;

  /** API tokens one client IP, or one user, may create per window (POST /tokens); 0: no limit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  AUTH_RATE_LIMIT_TOKENS = 60;

  /** The window of both authentication rate limits, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_WINDOW_SECONDS = 60;

  /**
   * Behind a reverse proxy (nginx): take the client IP from `X-Forwarded-For`, so the per-IP
   * limits and the audit log see the real client rather than the proxy.
   */
  @Transform(toBoolean)
  @IsBoolean()
  HTTP_TRUST_PROXY = false;

  /** Audit-log rows written in one INSERT (flushes when this many are waiting). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  AUDIT_BATCH_SIZE = 200;

  /** Longest an audit-log row waits before its batch is written anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_BATCH_LATENCY_MS = 1000;

  /** The file-server root: blueprint and plugin files the REST service stores and serves. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  RESOURCES_DIR?: string;

  /** Largest unpacked size of an uploaded blueprint or plugin archive, in MiB (zip/tar bombs stop here). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ARCHIVE_MAX_UNPACKED_MB = 100;

  /**
   * Key that encrypts secrets at rest (AES-256-GCM): 32 bytes, base64. Unset: a random key is made
   * once and kept in `<NESTIFY_DATA_DIR>/secrets.key` (mode 0600).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'SECRETS_KEY must be 32 bytes in base64 (44 characters)',
  })
  SECRETS_KEY?: string;

  /** Events and logs the bridge writes in one transaction (flushes when this many are waiting). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  EVENTS_BATCH_SIZE = 500;

  /** Longest an event or log waits in the bridge before its batch is flushed anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVENTS_BATCH_LATENCY_MS = 100;

  /**
   * Unacknowledged messages the bridge holds per queue. Twice the batch size by default, so the
   * next batch fills while the previous one commits (the general AMQP_PREFETCH would cap batches).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EVENTS_PREFETCH = 1000;

  /** How the bridge writes a batch: one multi-row INSERT per table, or COPY into a staging table. */
  @IsIn(['insert', 'copy'])
  EVENTS_WRITE_METHOD: 'insert' | 'copy' = 'insert';

  /** Events and logs older than this many days are purged by the bridge; 0 keeps them forever. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  EVENTS_RETENTION_DAYS = 0;

  /** How often the bridge runs the retention purge (when EVENTS_RETENTION_DAYS is set). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  EVENTS_RETENTION_INTERVAL_MS = 60 * 60_000;

  /** Rows one DELETE of the retention purge removes, so no purge holds long locks. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  EVENTS_RETENTION_CHUNK = 10000;

  /** Port of the bridge's Prometheus `/metrics`; 0 turns the listener off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  BRIDGE_METRICS_PORT = 8101;

  /** Executions one mgmtworker runs at once (Cloudify's MAX_WORKERS). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_WORKERS = 10;

  /** Operations the mgmtworker's central deployment agent runs at once (MAX_OPERATION_WORKERS). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  MAX_OPERATION_WORKERS = 20;

  /** Operation tasks one execution keeps in flight at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAX_CONCURRENT_TASKS = 1000;

  /** How long a mgmtworker's claim on an execution lasts unless renewed; another takes over after. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  EXECUTION_LEASE_TTL_MS = 15000;

  /** How long the mgmtworker waits for a host agent's answer to a ping before its first task. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  AGENT_PING_TIMEOUT_MS = 30000;

  /** How often the mgmtworker reads the status of its running executions (cancel requests). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  EXECUTION_STATUS_POLL_MS = 1000;

  /** Port of the mgmtworker's Prometheus `/metrics`; 0 turns the listener off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MGMTWORKER_METRICS_PORT = 8103;

  /** Port of the policy engine's Prometheus `/metrics`; 0 turns the listener off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  POLICY_METRICS_PORT = 8102;

  /** REST API the policy engine starts executions through; default: this host's PORT. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'MANAGER_REST_URL must start with http:// or https://' })
  MANAGER_REST_URL?: string;

  /** How often the policy engine re-reads deployments (new ones start, deleted ones stop). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  POLICY_SYNC_INTERVAL_MS = 5000;

  /** How often metric ttls are checked for expiry (host_failure); Cloudify 4 checked every 5 s. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  POLICY_EXPIRY_CHECK_MS = 250;

  /** Metrics the store writes in one transaction. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  METRICS_BATCH_SIZE = 1000;

  /** Longest a metric waits before its batch is written anyway. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  METRICS_BATCH_LATENCY_MS = 200;

  /** Width of a rollup bucket (min, max, sum, count per series), in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  METRICS_ROLLUP_SECONDS = 60;

  /** Raw metric values older than this many hours are purged (rollups stay); 0 keeps them. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  METRICS_RETENTION_HOURS = 24 * 7;

  /** Rollups older than this many days are purged; 0 keeps them. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  METRICS_ROLLUP_RETENTION_DAYS = 90;

  /** How often the metrics retention purge runs. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  METRICS_RETENTION_INTERVAL_MS = 60 * 60_000;

  /** pino level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `json` for machines, `pretty` for people; default: pretty on a terminal, json otherwise. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';
}

export type EnvironmentSource = Record<string, string | undefined>;

/**
 * Turns raw environment strings into a typed, validated object; throws one error naming every bad
 * variable so a misconfigured process stops at once with a readable message.
 */
export function validateEnvironment(raw: EnvironmentSource): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  known.push('DATABASE_URL', 'AMQP_URL', 'LOG_FORMAT', 'RESOURCES_DIR', 'SECRETS_KEY');
  known.push('MANAGER_REST_URL');
  const picked: EnvironmentSource = {};
  for (const name of known) if (raw[name] !== undefined) picked[name] = raw[name];
  const env = plainToInstance(EnvironmentVariables, picked);
  const errors = validateSync(env, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}
