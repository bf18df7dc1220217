import { RpcException } from '@nestjs/microservices';

/** What becomes of a delivery once its handler is done with it. */
export type Disposition =
  | { action: 'ack' }
  | { action: 'requeue'; delayMs: number }
  | { action: 'dead-letter'; reason: string; detail: string };

interface DispositionPayload {
  disposition: 'requeue' | 'dead-letter';
  reason?: string;
  message?: string;
  delayMs?: number;
}

/**
 * Thrown by a handler for a message that can never succeed (fails validation, refers to nothing):
 * it goes to the dead-letter queue with `reason`. An RpcException, so the reason survives Nest's
 * exception filters on the way back to the transport.
 */
export class RejectMessageError extends RpcException {
  constructor(reason: string, detail = reason) {
    const payload: DispositionPayload = { disposition: 'dead-letter', reason, message: detail };
    super(payload);
  }
}

/** Thrown by a handler that failed for a passing reason (database down): deliver again later. */
export class RetryMessageError extends RpcException {
  constructor(detail: string, delayMs = 1000) {
    const payload: DispositionPayload = { disposition: 'requeue', message: detail, delayMs };
    super(payload);
  }
}

function payloadOf(error: unknown): Partial<DispositionPayload> & { message?: unknown } {
  const payload = error instanceof RpcException ? error.getError() : error;
  if (typeof payload === 'object' && payload !== null) return payload as DispositionPayload;
  return { message: String(payload) };
}

/**
 * Decides a failed delivery's fate. Explicit rejections and retries are obeyed; any other error
 * is retried once (it may have been a passing fault) and then dead-lettered with reason
 * `handler_error`, so a poison message never loops forever.
 */
export function dispositionOf(error: unknown, redelivered: boolean): Disposition {
  const payload = payloadOf(error);
  const detail = String(payload.message ?? 'unknown error');
  if (payload.disposition === 'dead-letter') {
    return { action: 'dead-letter', reason: payload.reason ?? 'rejected', detail };
  }
  if (payload.disposition === 'requeue') {
    return { action: 'requeue', delayMs: payload.delayMs ?? 1000 };
  }
  if (!redelivered) return { action: 'requeue', delayMs: 0 };
  return { action: 'dead-letter', reason: 'handler_error', detail };
}
