import type { JsonValue, SerializedError } from '../ports';

/** An operation or workflow error that must not be retried. */
export class NonRecoverableError extends Error {
  override readonly name = 'NonRecoverableError';
}

/** An error after which the operation may be retried (after `retryAfter` seconds if given). */
export class RecoverableError extends Error {
  override readonly name: string = 'RecoverableError';
  constructor(
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** An operation asked to be run again (`ctx.operation.retry`): rescheduled, not failed. */
export class OperationRetry extends RecoverableError {
  override readonly name = 'OperationRetry';
}

/** A task graph failed; the message is the summary of workflows.md §3.6 and hides the stack. */
export class WorkflowFailed extends Error {
  override readonly name = 'WorkflowFailed';
}

/** The execution was cancelled while the graph ran. */
export class ExecutionCancelled extends Error {
  override readonly name = 'ExecutionCancelled';
  constructor() {
    super('Execution cancelled');
  }
}

export type FailureKind = 'retry' | 'recoverable' | 'nonrecoverable';

/** How the engine reads an operation's serialised error. */
export function failureKind(error: SerializedError): FailureKind {
  switch (error.known_exception_type) {
    case 'OperationRetry':
      return 'retry';
    case 'NonRecoverableError':
    case 'HttpException':
    case 'WorkflowFailed':
    case 'StopAgent':
      return 'nonrecoverable';
    default:
      return 'recoverable';
  }
}

/** `retry_after` of a RecoverableError / OperationRetry: the first numeric known_exception_type_arg. */
export function retryAfterOf(error: SerializedError): number | null {
  const args = error.known_exception_type_args ?? [];
  const value = args.find((arg) => typeof arg === 'number');
  return typeof value === 'number' ? value : null;
}

/** The serialised form of a local error, as a worker would have sent it. */
export function serializeError(error: unknown): SerializedError {
  const err = error instanceof Error ? error : new Error(String(error));
  const known =
    err instanceof OperationRetry
      ? 'OperationRetry'
      : err instanceof NonRecoverableError
        ? 'NonRecoverableError'
        : err instanceof WorkflowFailed
          ? 'WorkflowFailed'
          : 'RecoverableError';
  const retryAfter = err instanceof RecoverableError ? err.retryAfter : null;
  const cause: JsonValue = { message: err.message, type: err.name, traceback: err.stack ?? null };
  return {
    exception_type: err.name,
    message: err.message,
    traceback: err.stack,
    known_exception_type: known,
    known_exception_type_args: [retryAfter],
    known_exception_type_kwargs: { causes: [cause] },
    append_message: false,
  };
}
