/** The manager answered with an error body `{message, error_code}` (or a non-JSON error page). */
export class ManagerError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status: number,
    readonly serverTraceback: string | null = null,
  ) {
    super(message);
    this.name = 'ManagerError';
  }
}

/** No HTTP answer at all: refused, unknown host, reset, timed out. */
export class ManagerUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the manager at ${url}: ${reason}`);
    this.name = 'ManagerUnreachableError';
  }
}

/** A readable reason out of what fetch throws (`TypeError: fetch failed` hides it in `cause`). */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const codes: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'unknown host',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
  };
  if (cause?.code) return codes[cause.code] ?? cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
