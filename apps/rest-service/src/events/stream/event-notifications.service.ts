import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

/**
 * The channel logstash-bridge NOTIFYs after each committed batch (its EVENTS_NOTIFY_CHANNEL;
 * apps do not import each other). The payload is JSON naming the touched `execution_id` (or
 * `execution_group_id`), its `tenant_id` and the largest new storage id per table.
 */
export const EVENTS_NOTIFY_CHANNEL = 'nestify_events';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

/** Called when an execution may have new rows; `undefined` means any execution may have. */
export type EventsWakeUp = (executionId: string | undefined) => void;

/**
 * LISTENs on one dedicated connection (outside TypeORM's pool, which would hand it back and
 * lose the subscription) and tells the open streams which executions got new rows. After a lost
 * connection it reconnects with back-off and wakes every stream, as NOTIFYs sent meanwhile are
 * gone; the streams also poll, so a failing listener only slows them down.
 */
@Injectable()
export class EventNotificationsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventNotificationsService.name);
  private readonly listeners = new Set<EventsWakeUp>();
  private client?: Client;
  private retryTimer?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventsWakeUp): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onApplicationBootstrap(): void {
    // The embedded database serves one connection at a time (its pool has one): a second,
    // listening connection would wait for ever. Streams fall back to their poll there.
    if (this.config.database.url) void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url || this.stopped) return;
    const client = new Client({ connectionString: url, application_name: 'nestify-events-listen' });
    client.on('notification', (message) => this.wake(message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_NOTIFY_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    this.wake(undefined); // whatever was notified while we were not listening
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped || (this.client !== undefined && this.client !== client)) return;
    if (this.client === undefined && this.retryTimer !== undefined) return; // already retrying
    this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.logger.warn(
      `Events LISTEN connection lost${error instanceof Error ? `: ${error.message}` : ''}; ` +
        `retrying in ${this.retryMs} ms`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private wake(payload: string | undefined): void {
    const executionId = payload === undefined ? undefined : executionOf(payload);
    if (payload !== undefined && executionId === null) return; // an execution group's rows
    for (const listener of this.listeners) listener(executionId ?? undefined);
  }
}

/** The execution a NOTIFY payload names; null when it names none; undefined if unreadable. */
function executionOf(payload: string): string | null | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const id = (parsed as { execution_id?: unknown }).execution_id;
    return typeof id === 'string' ? id : null;
  } catch {
    return undefined;
  }
}
