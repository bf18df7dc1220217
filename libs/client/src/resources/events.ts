import type { HttpTransport } from '../http';
import { followExecutionEvents, StreamHandlers } from '../sse';
import type { EventItem, ExecutionStatus, ListQuery, ListResponse } from '../types';

export class EventsClient {
  constructor(private readonly http: HttpTransport) {}

  /** Stored events and logs; `execution_id`, `type`, `_offset`, `_size`, `_sort`… as filters. */
  list(query: ListQuery = {}): Promise<ListResponse<EventItem>> {
    return this.http.call('eventsList', { query });
  }

  /** Follows the execution's events over Server-Sent Events (see followExecutionEvents). */
  stream(
    executionId: string,
    handlers: StreamHandlers,
  ): Promise<ExecutionStatus | null | undefined> {
    return followExecutionEvents(this.http, executionId, handlers);
  }
}
