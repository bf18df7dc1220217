/** States of a task (operation) of a workflow's task graph. */
export enum OperationState {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Started = 'started',
  Rescheduled = 'rescheduled',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

export const OPERATION_STATES: readonly OperationState[] = Object.values(OperationState);

/** A task in one of these has run to an outcome (a rescheduled one will run again as a new try). */
export const TERMINATED_OPERATION_STATES: ReadonlySet<OperationState> = new Set([
  OperationState.Rescheduled,
  OperationState.Succeeded,
  OperationState.Failed,
]);

export function isTerminatedOperationState(state: string): boolean {
  return (TERMINATED_OPERATION_STATES as ReadonlySet<string>).has(state);
}

/** Task type of graph bookkeeping that never reaches a worker and is not counted in totals. */
export const NOP_OPERATION_TYPE = 'NOPLocalWorkflowTask';
