import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { Consumer, MESSAGE_BUS, MessageBus, QUEUES } from '@nestify/messaging';
import { EventsIngestService } from './events-ingest.service';

/**
 * Consumes `cloudify-events` and `cloudify-logs` straight from the bus (not through the Nest
 * transport): each delivery stays unacknowledged until its batch commits, so the handler's promise
 * is the ack, and the prefetch bounds how many messages wait in memory.
 */
@Injectable()
export class EventsConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsConsumer.name);
  private consumers: Consumer[] = [];

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    private readonly ingest: EventsIngestService,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const options = {
      prefetch: this.config.events.prefetch,
      // The size limit and JSON parsing are checked by the ingest, which counts what it rejects.
      raw: true,
      maxBytes: Number.MAX_SAFE_INTEGER,
    };
    for (const queue of [QUEUES.events, QUEUES.logs]) {
      this.consumers.push(await this.bus.consume(queue, this.ingest.handle, options));
    }
    this.logger.log(
      `consuming ${QUEUES.events} and ${QUEUES.logs} (batches of ${this.config.events.batchSize} ` +
        `or ${this.config.events.batchLatencyMs} ms, ${this.config.events.writeMethod})`,
    );
  }

  /** Commits what was received, then lets go of the queues; later deliveries go back to them. */
  async onModuleDestroy(): Promise<void> {
    await this.ingest.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.cancel()));
    this.consumers = [];
  }
}
