import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * A DataSource that releases what it stands on (the embedded server) once its own connections
 * are closed — whoever destroys it: `shutdown()` (DatabaseHandle.close) or TypeOrmModule at application shutdown.
 */
export class ManagedDataSource extends DataSource {
  private released = false;

  constructor(
    options: DataSourceOptions,
    private readonly onClosed: () => Promise<void>,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      await super.destroy();
    } finally {
      await this.releaseOnce();
    }
  }

  /** Closes the connections if open, then releases; safe to call more than once. */
  async shutdown(): Promise<void> {
    if (this.isInitialized) await this.destroy();
    else await this.releaseOnce();
  }

  private async releaseOnce(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.onClosed();
  }
}
