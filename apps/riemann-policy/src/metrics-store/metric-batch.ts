interface Waiting<T> {
  value: T;
  settle: (error?: Error) => void;
}

/**
 * Collects values into batches of at most `maxSize`, written when full or when the oldest has
 * waited `maxLatencyMs`, one write at a time. `add` resolves once the value's batch is written
 * (or rejects with the write's error), so a message is acked only after its row committed.
 */
export class MetricBatch<T> {
  private waiting: Array<Waiting<T>> = [];
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;

  constructor(
    private readonly write: (values: T[]) => Promise<void>,
    private readonly maxSize: number,
    private readonly maxLatencyMs: number,
  ) {}

  add(value: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ value, settle: (error) => (error ? reject(error) : resolve()) });
      this.schedule();
    });
  }

  /** Writes everything waiting, and waits for it (shutdown). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing || this.waiting.length > 0) {
      if (!this.writing) this.startWrite();
      await this.writing;
    }
  }

  private schedule(): void {
    if (this.writing) return;
    if (this.waiting.length >= this.maxSize) {
      this.startWrite();
      return;
    }
    if (this.waiting.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.writing) this.startWrite();
      }, this.maxLatencyMs);
    }
  }

  private startWrite(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0, this.maxSize);
    if (batch.length === 0) return;
    this.writing = this.write(batch.map((entry) => entry.value))
      .then(
        () => batch.forEach((entry) => entry.settle()),
        (error: Error) => batch.forEach((entry) => entry.settle(error)),
      )
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
  }
}
