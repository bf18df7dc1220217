/** How long batched writes wait for an unavailable database before they report failure. */
export const DATABASE_OUTAGE_MS = 60_000;

/** Writes a batch of items durably; the batcher calls it with one batch at a time, in order. */
export type BatchWriter<T> = (items: T[]) => Promise<void>;

export interface WriteBatcherOptions {
  /** Flush at most this long after the first unwritten item arrived. */
  delayMs: number;
  /** Flush at once when this many items wait. */
  maxItems: number;
  /** Told about a failed background flush; the items stay queued and are retried. */
  onError?: (error: unknown) => void;
  /**
   * Failures worth waiting out (the database restarting): the batch is tried again, with a
   * growing pause, for up to `transientRetryMs` before the failure is reported.
   */
  isTransient?: (error: unknown) => boolean;
  transientRetryMs?: number;
}

/**
 * Collects items and writes them in batches — every `delayMs` or `maxItems`, whichever first —
 * one batch at a time, so items are written in the order they were added. `flush()` resolves once
 * everything added before it is written. A failed write keeps its items at the head of the queue.
 */
export class WriteBatcher<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private retryMs = 0;
  /** Items ever added, and ever written: items are written in order, so a count marks a point. */
  private added = 0;
  private written = 0;
  private readonly waiters: Array<{ upTo: number; resolve: () => void }> = [];

  constructor(
    private readonly write: BatchWriter<T>,
    private readonly options: WriteBatcherOptions,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  add(...items: T[]): void {
    this.queue.push(...items);
    this.added += items.length;
    if (this.queue.length >= this.options.maxItems) this.schedule(0);
    else this.schedule(this.options.delayMs);
  }

  /** Writes everything queued so far; rejects when the write fails (items stay queued). */
  flush(): Promise<void> {
    this.clearTimer();
    const done = this.writing.then(() => this.writeQueued());
    this.writing = done.catch(() => undefined);
    return done;
  }

  /** A point in the stream of items: everything added so far (see settled). */
  get mark(): number {
    return this.added;
  }

  /**
   * Resolves once everything added so far (or up to `mark`) is written, on the batcher's own
   * schedule — unlike flush(), it does not make a small batch go out early.
   */
  settled(mark: number = this.added): Promise<void> {
    if (this.written >= mark) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo: mark, resolve }));
  }

  /** Stops the timer; queued items are dropped unless flushed first. */
  close(): void {
    this.clearTimer();
  }

  private schedule(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().then(
        () => (this.retryMs = 0),
        (error) => {
          this.options.onError?.(error);
          this.retryMs = Math.min(Math.max(this.retryMs * 2, 50), 5000);
          this.schedule(this.retryMs);
        },
      );
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.maxItems);
      try {
        await this.writeWaitingOutTransientFailures(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        throw error;
      }
      this.written += batch.length;
      this.releaseWaiters();
    }
  }

  private releaseWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].upTo > this.written) continue;
      this.waiters[i].resolve();
      this.waiters.splice(i, 1);
    }
  }

  private async writeWaitingOutTransientFailures(batch: T[]): Promise<void> {
    const { isTransient, transientRetryMs = 0 } = this.options;
    const deadline = Date.now() + transientRetryMs;
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      try {
        await this.write(batch);
        return;
      } catch (error) {
        if (!isTransient?.(error) || Date.now() + pause > deadline) throw error;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }
}
