import { Inject, Injectable, Logger } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import {
  dispositionOf,
  IncomingMessage,
  RejectMessageError,
  RetryMessageError,
} from '@nestify/messaging';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { Batcher } from './batcher';
import { OutputItem, parseEventMessage, REJECT_REASONS } from './event-message';
import { matchOwner, StoredOwner } from './event-owners';
import { EventsStoreRepository, StoredRow } from './events-store.repository';

/** A consumed message waiting for its batch: settled once the batch committed (or failed). */
interface PendingMessage {
  items: OutputItem[];
  settled: boolean;
  resolve(): void;
  reject(error: Error): void;
}

/** SQLSTATEs of bad data in a row (it will never insert), as opposed to a database in trouble. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || ['23502', '23514'].includes(code));
}

/**
 * Turns consumed messages into rows: validates each, batches them, resolves their owners, writes
 * the batch and settles every message of it only after COMMIT — ack on success, dead-letter with a
 * reason for what can never be stored, requeue after a back-off when the database failed.
 */
@Injectable()
export class EventsIngestService {
  private readonly logger = new Logger(EventsIngestService.name);
  private readonly batcher: Batcher<PendingMessage>;
  private stopping = false;

  constructor(
    private readonly store: EventsStoreRepository,
    private readonly metrics: BridgeMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {
    this.batcher = new Batcher((entries, delay) => this.flush(entries, delay), {
      maxRows: config.events.batchSize,
      maxLatencyMs: config.events.batchLatencyMs,
    });
  }

  /** The bus handler: resolves (ack) once the message's rows are committed. */
  handle = (message: IncomingMessage): Promise<void> => {
    if (this.stopping) return Promise.reject(new RetryMessageError('the bridge is stopping', 0));
    this.metrics.consumed.inc({ queue: message.queue });
    let items: OutputItem[];
    try {
      items = parseEventMessage(
        message.body as string,
        message.size,
        this.config.messaging.maxMessageBytes,
      );
    } catch (error) {
      this.countDeadLetter(error);
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      this.batcher.add({ items, settled: false, resolve, reject }, items.length);
    });
  };

  /** Writes what is waiting and stops taking messages (they are requeued for other replicas). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.batcher.drain();
    this.batcher.stop();
  }

  private async flush(entries: PendingMessage[], retryDelayMs: number): Promise<boolean> {
    const endTimer = this.metrics.batchSeconds.startTimer();
    try {
      const owners = await this.store.findOwners(
        entries.flatMap((e) => e.items.map((i) => i.owner)),
      );
      const accepted: { entry: PendingMessage; rows: StoredRow[] }[] = [];
      for (const entry of entries) {
        const unowned = entry.items.find((item) => !matchOwner(item.owner, owners));
        if (unowned) {
          this.reject(entry, unknownOwner(unowned));
          continue;
        }
        const rows = entry.items.map((item) => ({
          item,
          owner: matchOwner(item.owner, owners) as StoredOwner,
        }));
        accepted.push({ entry, rows });
      }
      await this.write(accepted);
      return true;
    } catch (error) {
      this.metrics.failedBatches.inc();
      this.logger.warn(
        `could not write ${entries.length} messages, retrying in ${retryDelayMs} ms: ${(error as Error).message}`,
      );
      const retry = new RetryMessageError((error as Error).message, retryDelayMs);
      for (const entry of entries) if (!entry.settled) this.settle(entry, retry);
      return false;
    } finally {
      endTimer();
    }
  }

  /**
   * Writes messages' rows in one transaction. A row the database refuses as bad data would fail
   * every retry, so the batch is split until that message stands alone and is dead-lettered.
   */
  private async write(batch: { entry: PendingMessage; rows: StoredRow[] }[]): Promise<void> {
    if (batch.length === 0) return;
    const rows = batch.flatMap((b) => b.rows);
    try {
      const result = await this.store.writeBatch(rows, this.config.events.writeMethod);
      this.metrics.batchRows.observe(rows.length);
      for (const table of ['events', 'logs'] as const) {
        const total = rows.filter((row) => row.item.table === table).length;
        this.metrics.inserted.inc({ type: table }, result.inserted[table]);
        this.metrics.duplicates.inc({ type: table }, total - result.inserted[table]);
      }
      for (const { entry } of batch) this.settle(entry);
    } catch (error) {
      if (!isDataError(error)) throw error;
      if (batch.length === 1) {
        this.reject(batch[0].entry, new RejectMessageError(REJECT_REASONS.invalid, String(error)));
        return;
      }
      const half = Math.ceil(batch.length / 2);
      await this.write(batch.slice(0, half));
      await this.write(batch.slice(half));
    }
  }

  private reject(entry: PendingMessage, error: RejectMessageError): void {
    this.countDeadLetter(error);
    this.settle(entry, error);
  }

  private settle(entry: PendingMessage, error?: Error): void {
    if (entry.settled) return;
    entry.settled = true;
    if (error) entry.reject(error);
    else entry.resolve();
  }

  private countDeadLetter(error: unknown): void {
    const disposition = dispositionOf(error, true);
    if (disposition.action === 'dead-letter')
      this.metrics.deadLettered.inc({ reason: disposition.reason });
  }
}

function unknownOwner(item: OutputItem): RejectMessageError {
  const { kind, id, tenantName } = item.owner;
  const where = tenantName === null ? '' : ` in tenant ${tenantName}`;
  return new RejectMessageError(REJECT_REASONS.unknownExecution, `no ${kind} ${id}${where}`);
}
