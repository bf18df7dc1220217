import { hostname } from 'node:os';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MessageBus } from '../bus/message-bus';
import { EXCHANGES } from '../topology';
import { Heartbeat, newInstanceId } from './heartbeat';

/** Announces this app on the heartbeat exchange while it runs (transient messages). */
export class HeartbeatPublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(HeartbeatPublisher.name);
  private readonly instanceId: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly bus: MessageBus,
    private readonly app: string,
    private readonly intervalMs: number,
  ) {
    this.instanceId = newInstanceId(app);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Before the bus closes: the last beat says this instance is going away. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beat(true);
  }

  private async beat(stopping = false): Promise<void> {
    const heartbeat: Heartbeat = {
      app: this.app,
      instance_id: this.instanceId,
      host: hostname(),
      pid: process.pid,
      sent_at: new Date().toISOString(),
      interval_ms: this.intervalMs,
      ...(stopping ? { stopping } : {}),
    };
    try {
      await this.bus.publish(EXCHANGES.heartbeat, '', heartbeat, { persistent: false });
    } catch (error) {
      // A missed beat is what the monitor is for; the bus reconnects by itself.
      this.logger.warn(`heartbeat not sent: ${(error as Error).message}`);
    }
  }
}
