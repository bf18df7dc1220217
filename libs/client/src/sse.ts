import type { HttpTransport } from './http';
import { errorOf } from './http';
import type { EventItem, ExecutionStatus } from './types';

/** One Server-Sent Events message. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/** Reads SSE messages out of text chunks as they arrive (a message may span chunks). */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseMessage[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const messages: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const message = parseBlock(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
      if (message) messages.push(message);
    }
    return messages;
  }
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = { event: 'message', data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // a comment: heartbeats
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  message.data = data.join('\n');
  return message;
}

export interface StreamHandlers {
  /** Every event or log, with its SSE id (the resume point for `lastEventId`). */
  onEvent: (event: EventItem, id: string | undefined, raw: string) => void;
  lastEventId?: string;
  signal?: AbortSignal;
}

/**
 * Follows `GET /events/stream?execution_id=…` over one connection: answers the execution's final
 * status at the stream's `end` event (null when it was deleted), or undefined when the connection
 * dropped first. A refusal (4xx/5xx) throws ManagerError; no answer throws ManagerUnreachableError.
 */
export async function followExecutionEvents(
  http: HttpTransport,
  executionId: string,
  handlers: StreamHandlers,
): Promise<ExecutionStatus | null | undefined> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  if (handlers.lastEventId) headers['Last-Event-ID'] = handlers.lastEventId;
  const response = await http.send('eventsStream', {
    query: { execution_id: executionId },
    headers,
  });
  if (!response.ok) throw errorOf(response.status, await response.text());
  if (!response.body) return undefined;
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const abort = () => void response.body?.cancel().catch(() => undefined);
  handlers.signal?.addEventListener('abort', abort);
  try {
    for await (const chunk of response.body) {
      for (const message of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        if (message.event === 'end') {
          return (JSON.parse(message.data) as { status: ExecutionStatus | null }).status;
        }
        handlers.onEvent(JSON.parse(message.data) as EventItem, message.id, message.data);
      }
    }
  } catch (error) {
    if (handlers.signal?.aborted) return undefined;
    throw error;
  } finally {
    handlers.signal?.removeEventListener('abort', abort);
  }
  return undefined;
}
