/**
 * A small map whose entries expire, bounded in size (the oldest entry goes first). Used for the
 * per-request identity lookups, which change rarely and are asked for on every request.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.clock()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Keeps `value` until `expires` (epoch ms); nothing is stored when that is already past. */
  set(key: string, value: V, expires: number): void {
    if (expires <= this.clock()) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expires });
  }

  clear(): void {
    this.entries.clear();
  }
}
