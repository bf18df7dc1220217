export interface BatcherOptions {
  /** Flush as soon as this many rows are waiting. */
  maxRows: number;
  /** Flush once the oldest waiting entry has waited this long. */
  maxLatencyMs: number;
  /** First pause after a failed flush; doubles with each further failure. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Writes a batch. Resolves true when it succeeded, false when it failed for a passing reason (the
 * database is down): the batcher then pauses for `retryDelayMs` before the next flush, which is
 * also how long the failed entries should wait before they come back.
 */
export type FlushBatch<T> = (entries: T[], retryDelayMs: number) => Promise<boolean>;

interface Waiting<T> {
  value: T;
  rows: number;
  since: number;
}

/**
 * Groups entries into batches of at most `maxRows` rows (an entry is never split), flushed when
 * full or when the oldest has waited `maxLatencyMs`, one batch at a time, so rows are written in
 * the order they arrived. After a failed flush it backs off exponentially.
 */
export class Batcher<T> {
  private waiting: Waiting<T>[] = [];
  private waitingRows = 0;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private failures = 0;
  private pausedUntil = 0;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly flushBatch: FlushBatch<T>,
    private readonly options: BatcherOptions,
  ) {
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
  }

  add(value: T, rows: number): void {
    this.waiting.push({ value, rows, since: Date.now() });
    this.waitingRows += rows;
    this.schedule();
  }

  /** Entries not yet handed to a flush. */
  get size(): number {
    return this.waiting.length;
  }

  /** Flushes everything waiting now (no pause), and waits for it; for shutdown. */
  async drain(): Promise<void> {
    this.pausedUntil = 0;
    while (this.flushing || this.waiting.length > 0) {
      if (!this.flushing) this.startFlush();
      await this.flushing;
    }
  }

  /** Stops the timer; what is still waiting stays unflushed (its messages are redelivered). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.flushing || this.waiting.length === 0) return;
    const now = Date.now();
    const full = this.waitingRows >= this.options.maxRows;
    const due = full ? now : this.waiting[0].since + this.options.maxLatencyMs;
    const at = Math.max(due, this.pausedUntil);
    if (at <= now) {
      this.startFlush();
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, at - now);
  }

  private startFlush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.take();
    const retryDelayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.failures);
    this.flushing = this.flushBatch(batch, retryDelayMs)
      .catch(() => false)
      .then((ok) => {
        this.failures = ok ? 0 : this.failures + 1;
        this.pausedUntil = ok ? 0 : Date.now() + retryDelayMs;
      })
      .finally(() => {
        this.flushing = undefined;
        this.schedule();
      });
  }

  private take(): T[] {
    let rows = 0;
    let count = 0;
    while (count < this.waiting.length) {
      const next = this.waiting[count].rows;
      if (count > 0 && rows + next > this.options.maxRows) break;
      rows += next;
      count++;
    }
    const taken = this.waiting.splice(0, count);
    this.waitingRows -= rows;
    return taken.map((entry) => entry.value);
  }
}
