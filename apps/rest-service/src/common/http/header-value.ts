import type { IncomingHttpHeaders } from 'node:http';

/** A request header by name (case-insensitive); the first value when it was sent twice. */
export function headerValue(
  request: { headers: IncomingHttpHeaders },
  name: string,
): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
