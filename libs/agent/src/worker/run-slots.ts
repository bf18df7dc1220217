/** At most `size` holders at once; the others wait in arrival order. */
export class RunSlots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error(`run slots must be at least 1, not ${size}`);
  }

  get inUse(): number {
    return this.used;
  }

  /** Resolves once a slot is held; hand it back with `release`. */
  acquire(): Promise<void> {
    if (this.used < this.size) {
      this.used += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `used` stays the same.
    if (next) next();
    else this.used -= 1;
  }
}
