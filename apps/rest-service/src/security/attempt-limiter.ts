/** Entries kept before expired windows are swept (bounds memory under a spray of keys). */
const SWEEP_AT = 50_000;

interface Window {
  count: number;
  endsAt: number;
}

/**
 * Counts attempts per key in fixed windows, in memory: each process of the REST service limits on
 * its own (with N replicas, a client gets up to N times the limit). A limit of 0 never blocks.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it is under the limit. */
  retryAfterMs(key: string): number {
    if (this.limit === 0) return 0;
    const window = this.current(key);
    return window && window.count >= this.limit ? window.endsAt - this.now() : 0;
  }

  record(key: string): void {
    if (this.limit === 0) return;
    const window = this.current(key);
    if (window) window.count += 1;
    else {
      if (this.windows.size >= SWEEP_AT) this.sweep();
      this.windows.set(key, { count: 1, endsAt: this.now() + this.windowMs });
    }
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
