import type { JsonValue } from './json';

/** One hop of an error's history, as replies carry it (workflows.md §3.3 `causes`). */
export interface ErrorCause {
  message: string;
  type: string;
  traceback?: string;
}

/**
 * The operation failed but may succeed if run again: the engine retries it after `retryAfter`
 * seconds (else the configured interval), within the retry limit.
 */
export class RecoverableError extends Error {
  override name = 'RecoverableError';
  constructor(
    message: string,
    readonly retryAfter: number | null = null,
    readonly causes: ErrorCause[] = [],
  ) {
    super(message);
  }
}

/** The operation failed for good: the engine does not retry it. */
export class NonRecoverableError extends Error {
  override name = 'NonRecoverableError';
  constructor(
    message: string,
    readonly causes: ErrorCause[] = [],
  ) {
    super(message);
  }
}

/**
 * Ends the operation as "rescheduled": it runs again after `retryAfter` seconds, bypassing failure
 * handlers. Throw it, or call `ctx.operation.retry()` and return.
 */
export class OperationRetry extends Error {
  override name = 'OperationRetry';
  constructor(
    message: string,
    readonly retryAfter: number | null = null,
    readonly causes: ErrorCause[] = [],
  ) {
    super(message);
  }
}

/** A call to the manager's REST API answered with an error status (non-recoverable). */
export class HttpException extends Error {
  override name = 'HttpException';
  constructor(
    readonly url: string,
    readonly code: number,
    message: string,
    readonly body: JsonValue = null,
  ) {
    super(message);
  }
}
