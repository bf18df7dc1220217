/**
 * Runs `work` at once and then every `intervalMs`, until `stop()`: the timer never keeps the
 * process alive, a failed run goes to `onError`, and `stop()` waits for the run in progress.
 * Long-running work checks `stopped` between steps so a shutdown does not wait for all of it.
 */
export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopRequested = false;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly onError: (error: Error) => void,
  ) {}

  get stopped(): boolean {
    return this.stopRequested;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.work().catch((error: Error) => this.onError(error));
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    clearInterval(this.timer);
    await this.running;
  }
}
