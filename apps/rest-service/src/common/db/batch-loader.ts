/**
 * Coalesces point reads that arrive together into one query (the DataLoader pattern), without
 * ever answering from the past: a key is read by a batch that is *sent* after the key was asked
 * for, so a response reflects every write committed before its request arrived.
 *
 * Keys asked for in the same turn of the event loop go out together (one `setImmediate`). While
 * `maxInFlight` batches are out, new keys wait and leave with the next batch as soon as one comes
 * back — under load one round trip serves many requests instead of each paying its own.
 * Identical keys in a batch are read once.
 */
export interface BatchLoaderOptions {
  /** Batches out at once (default 2). */
  maxInFlight?: number;
  /** Keys per batch at most (default 500). */
  maxBatch?: number;
}

interface Waiting<V> {
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

export class BatchLoader<K, V> {
  private queued = new Map<string, { key: K; waiting: Waiting<V>[] }>();
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatch: number;

  /**
   * @param read reads a batch of keys; returns one result per key, in order (undefined: none)
   * @param keyOf the identity of a key (keys with the same identity are read once)
   */
  constructor(
    private readonly read: (keys: K[]) => Promise<Array<V | undefined>>,
    private readonly keyOf: (key: K) => string,
    options: BatchLoaderOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.maxBatch = options.maxBatch ?? 500;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      const id = this.keyOf(key);
      const entry = this.queued.get(id);
      if (entry) entry.waiting.push({ resolve, reject });
      else this.queued.set(id, { key, waiting: [{ resolve, reject }] });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queued.size === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.maxInFlight && this.queued.size > 0) {
      const batch = this.take();
      this.inFlight++;
      this.run(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
    }
  }

  /** The first `maxBatch` queued keys, in the order they were asked for. */
  private take(): Array<{ key: K; waiting: Waiting<V>[] }> {
    if (this.queued.size <= this.maxBatch) {
      const all = [...this.queued.values()];
      this.queued = new Map();
      return all;
    }
    const batch: Array<{ key: K; waiting: Waiting<V>[] }> = [];
    for (const [id, entry] of this.queued) {
      if (batch.length === this.maxBatch) break;
      batch.push(entry);
      this.queued.delete(id);
    }
    return batch;
  }

  private async run(batch: Array<{ key: K; waiting: Waiting<V>[] }>): Promise<void> {
    try {
      const values = await this.read(batch.map((entry) => entry.key));
      batch.forEach((entry, index) => entry.waiting.forEach((w) => w.resolve(values[index])));
    } catch (error) {
      batch.forEach((entry) => entry.waiting.forEach((w) => w.reject(error)));
    }
  }
}
