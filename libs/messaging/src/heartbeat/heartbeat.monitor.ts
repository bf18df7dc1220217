import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RejectMessageError } from '../bus/disposition';
import { Consumer, IncomingMessage, MessageBus } from '../bus/message-bus';
import { heartbeatQueue } from '../topology';
import { Heartbeat, isHeartbeat, newInstanceId } from './heartbeat';

export interface AppLiveness {
  app: string;
  instance_id: string;
  last_seen: string;
  alive: boolean;
}

/** An app is alive while fewer than this many of its beats have been missed. */
const MISSED_BEATS_ALLOWED = 3;
/** Instances silent for this long are forgotten (a stopped replica does not linger forever). */
const FORGET_AFTER_MS = 10 * 60 * 1000;

/**
 * Listens to every app's heartbeats (the rest-service runs one, for GET /status) and tells which
 * app instances are alive. With `enabled` false it listens to nothing and knows no one.
 */
export class HeartbeatMonitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatMonitor.name);
  private readonly seen = new Map<string, { beat: Heartbeat; receivedAt: number }>();
  private consumer?: Consumer;

  constructor(
    private readonly bus: MessageBus,
    private readonly enabled: boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const queue = heartbeatQueue(newInstanceId('monitor'));
    await this.bus.declare({ exchanges: [], queues: [queue] });
    this.consumer = await this.bus.consume(queue.name, async (message) => this.record(message), {
      prefetch: 50,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.cancel();
    this.consumer = undefined;
  }

  record(message: Pick<IncomingMessage, 'body'>): void {
    if (!isHeartbeat(message.body)) throw new RejectMessageError('invalid_heartbeat');
    const beat = message.body;
    this.seen.set(beat.instance_id, { beat, receivedAt: this.clock() });
  }

  liveApps(): AppLiveness[] {
    const now = this.clock();
    const result: AppLiveness[] = [];
    for (const [id, { beat, receivedAt }] of this.seen) {
      if (now - receivedAt > FORGET_AFTER_MS) {
        this.seen.delete(id);
        continue;
      }
      const alive = !beat.stopping && now - receivedAt < beat.interval_ms * MISSED_BEATS_ALLOWED;
      result.push({
        app: beat.app,
        instance_id: beat.instance_id,
        last_seen: new Date(receivedAt).toISOString(),
        alive,
      });
    }
    if (this.enabled && !this.consumer) this.logger.warn('heartbeat monitor is not consuming');
    return result;
  }
}
