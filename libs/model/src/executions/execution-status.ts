/** Lifecycle of an execution, as Cloudify's workflow library and clients spell it. */
export enum ExecutionStatus {
  Pending = 'pending',
  Started = 'started',
  Cancelling = 'cancelling',
  ForceCancelling = 'force_cancelling',
  KillCancelling = 'kill_cancelling',
  Queued = 'queued',
  Scheduled = 'scheduled',
  Terminated = 'terminated',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = Object.values(ExecutionStatus);

/** Finished for good: nothing runs any more. */
export const END_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set([
  ExecutionStatus.Terminated,
  ExecutionStatus.Failed,
  ExecutionStatus.Cancelled,
]);

/** Not started yet, waiting for a slot or a time. */
export const WAITING_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set([
  ExecutionStatus.Scheduled,
  ExecutionStatus.Queued,
]);

/** Running or about to (Cloudify's ACTIVE_STATES, also its IN_PROGRESS set). */
export const ACTIVE_EXECUTION_STATUSES: ReadonlySet<ExecutionStatus> = new Set([
  ExecutionStatus.Pending,
  ExecutionStatus.Started,
  ExecutionStatus.Cancelling,
  ExecutionStatus.ForceCancelling,
  ExecutionStatus.KillCancelling,
]);

export function isExecutionStatus(value: unknown): value is ExecutionStatus {
  return typeof value === 'string' && (EXECUTION_STATUSES as readonly string[]).includes(value);
}

export function isEndExecutionStatus(status: string): boolean {
  return isExecutionStatus(status) && END_EXECUTION_STATUSES.has(status);
}

export function isActiveExecutionStatus(status: string): boolean {
  return isExecutionStatus(status) && ACTIVE_EXECUTION_STATUSES.has(status);
}

export function isWaitingExecutionStatus(status: string): boolean {
  return isExecutionStatus(status) && WAITING_EXECUTION_STATUSES.has(status);
}
