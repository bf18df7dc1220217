import { Inject, Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { AuditLogRepository, NewAuditLogEntry } from './audit-log.repository';

/** Rows kept while the database is unreachable; past this the oldest are dropped (and logged). */
const MAX_PENDING = 100_000;

/**
 * Collects audit rows off the request path and writes them in batches: when `batchSize` are
 * waiting or `batchLatencyMs` after the first, one INSERT each. A failed write is logged and
 * retried with the next batch; what is pending at shutdown is written before the app closes.
 */
@Injectable()
export class AuditLogWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditLogWriter.name);
  private pending: NewAuditLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly batchSize: number;
  private readonly latencyMs: number;

  constructor(
    private readonly repository: AuditLogRepository,
    @Inject(NESTIFY_CONFIG) config: NestifyConfig,
  ) {
    this.batchSize = config.http.auditBatchSize;
    this.latencyMs = config.http.auditBatchLatencyMs;
  }

  add(entry: NewAuditLogEntry): void {
    this.pending.push(entry);
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING).length;
      this.logger.warn(`audit log: dropped ${dropped} unwritten rows`);
    }
    if (this.pending.length >= this.batchSize) void this.flush();
    else this.schedule(this.latencyMs);
  }

  /** A later flush; the timer never keeps the process alive on its own. */
  private schedule(delayMs: number): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }

  /** Writes everything pending (batches in sequence); resolves once it is stored or failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeAll());
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.batchSize);
      try {
        await this.repository.insertMany(batch);
      } catch (error) {
        this.pending.unshift(...batch);
        this.logger.error({ err: error }, 'audit log: batch write failed; will retry');
        this.schedule(Math.max(this.latencyMs, 1000));
        return;
      }
    }
  }

  /** Writes what is pending while the database is still open; nothing is scheduled after. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
