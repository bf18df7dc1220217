import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { BadParametersError, NotFoundError } from '@nestify/common';
import { TenantScope } from '../../common/tenancy/tenant-scope';
import { EventsQuery } from '../events-query';
import { EventsRepository } from '../events.repository';
import { parseCursor } from './event-cursor';
import { EventNotificationsService } from './event-notifications.service';
import { EventStream, EventStreamSink, EventStreamSource } from './event-stream';

/**
 * Opens GET /events/stream streams: checks the execution like any read of it, and keeps every
 * open stream subscribed to the NOTIFY fan-out, and closed when the app shuts down.
 */
@Injectable()
export class EventsStreamService implements OnModuleDestroy {
  private readonly open = new Set<EventStream>();

  constructor(
    private readonly events: EventsRepository,
    private readonly notifications: EventNotificationsService,
  ) {}

  /**
   * A stream of the execution's events and logs after `lastEventId`, not yet started. Throws
   * before anything is written: 400 for a bad id, 404 for an execution the caller cannot see.
   */
  async prepare(
    executionId: string | undefined,
    lastEventId: string | undefined,
    scope: TenantScope,
  ): Promise<EventStream> {
    if (!executionId) throw new BadParametersError('execution_id is required to stream events');
    const cursor = parseCursor(lastEventId);
    const execution = await this.events.findVisibleExecution(executionId, scope);
    if (!execution) throw new NotFoundError('Execution', executionId);
    return new EventStream(
      executionId,
      this.sourceFor(executionId, execution.storageId, scope),
      cursor,
    );
  }

  /** Starts a prepared stream on `sink`, woken by NOTIFYs for its execution. */
  start(stream: EventStream, sink: EventStreamSink): void {
    const { executionId } = stream;
    const unsubscribe = this.notifications.subscribe((touched) => {
      if (touched === undefined || touched === executionId) stream.wake();
    });
    this.open.add(stream);
    stream.start(sink, () => {
      unsubscribe();
      this.open.delete(stream);
    });
  }

  /** Before the HTTP server closes: it would otherwise wait for every open stream. */
  onModuleDestroy(): void {
    for (const stream of [...this.open]) stream.close();
  }

  private sourceFor(executionId: string, storageId: number, scope: TenantScope): EventStreamSource {
    const query = (type: EventsQuery['types'][number]): EventsQuery => ({
      types: [type],
      equals: { execution_id: [executionId] },
      patterns: [],
      sort: [],
      size: 0,
      offset: 0,
      getAllResults: false,
    });
    return {
      readAfter: (type, after, limit) =>
        this.events.listStoredAfter(query(type), scope, after, limit),
      executionStatus: async () =>
        (await this.events.findVisibleExecution(executionId, scope))?.status,
      hasWorkflowEndEvent: () => this.events.hasWorkflowEndEvent(storageId),
    };
  }
}
