import {
  HttpException,
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
  type ErrorCause,
} from '@nestify/plugin-sdk';
import type { SerializedError } from '@nestify/workflows';

/** The error name a reply shows: a class's own name when it has one. */
function typeNameOf(error: Error): string {
  return error.name && error.name !== 'Error' ? error.name : error.constructor.name;
}

function causesOf(error: unknown): ErrorCause[] {
  const causes = (error as { causes?: unknown }).causes;
  return Array.isArray(causes) ? (causes as ErrorCause[]) : [];
}

/** Which of Cloudify's known kinds an error is, and that kind's positional arguments. */
function knownKindOf(
  error: Error,
): Pick<SerializedError, 'known_exception_type' | 'known_exception_type_args'> {
  if (error instanceof OperationRetry) {
    return {
      known_exception_type: 'OperationRetry',
      known_exception_type_args: [error.retryAfter],
    };
  }
  if (error instanceof NonRecoverableError) return { known_exception_type: 'NonRecoverableError' };
  if (error instanceof HttpException) {
    return {
      known_exception_type: 'HttpException',
      known_exception_type_args: [error.url, error.code],
    };
  }
  // RecoverableError and everything unknown: the engine retries it.
  const retryAfter = error instanceof RecoverableError ? error.retryAfter : null;
  return { known_exception_type: 'RecoverableError', known_exception_type_args: [retryAfter] };
}

/**
 * An error thrown by an operation in the reply format (workflows.md §3.3): its own cause is
 * appended to the causes it already carried.
 */
export function serializeError(thrown: unknown): SerializedError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const type = typeNameOf(error);
  const traceback = error.stack ?? `${type}: ${error.message}`;
  const cause: ErrorCause = { message: error.message, type, traceback };
  return {
    exception_type: type,
    message: error.message,
    traceback,
    ...knownKindOf(error),
    known_exception_type_kwargs: {
      causes: [...causesOf(error), cause].map((c) => ({ ...c, traceback: c.traceback ?? null })),
    },
    append_message: false,
  };
}
