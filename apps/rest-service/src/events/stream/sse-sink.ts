import type { OutgoingHttpHeader, ServerResponse } from 'node:http';
import { EventStreamSink } from './event-stream';

/**
 * Turns a hijacked response into an SSE sink: writes the headers now (after `headers`, those the
 * reply had gathered), waits for `drain` when the socket is full (a slow client then holds back
 * reading, not memory).
 */
export function sseSink(
  response: ServerResponse,
  headers: Record<string, OutgoingHttpHeader | number | undefined> = {},
): EventStreamSink {
  // The stream's own caching rule replaces the API's `no-store` (same header, other case).
  const gathered = { ...headers };
  delete gathered['cache-control'];
  response.writeHead(200, {
    ...gathered,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // nginx in front must not buffer the stream
  });
  response.flushHeaders();
  return {
    write: (chunk) =>
      new Promise<void>((resolve) => {
        if (response.destroyed || response.writableEnded) return resolve();
        if (response.write(chunk)) return resolve();
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      }),
    end: () => {
      if (!response.writableEnded) response.end();
    },
  };
}
