import { ExecutionStatus, isActiveExecutionStatus } from '@nestify/model';

/** What decides whether an execution's token still authenticates its workflow. */
export interface ExecutionTokenState {
  status: string;
  scheduledFor: Date | null;
  /** Whether some operation of its task graphs has not reached a terminated state. */
  hasUnfinishedOperations: boolean;
}

/** How far from its scheduled time a scheduled execution may already call back. */
export const SCHEDULED_START_WINDOW_MS = 60_000;

/**
 * An execution token is good while its execution is active; also for a scheduled execution
 * within a minute of its time (it is being started), and for a cancelled one whose operations are
 * still winding down (they report their end).
 */
export function executionTokenValid(state: ExecutionTokenState, now: Date = new Date()): boolean {
  if (isActiveExecutionStatus(state.status)) return true;
  if (state.status === ExecutionStatus.Scheduled && state.scheduledFor) {
    return Math.abs(now.getTime() - state.scheduledFor.getTime()) < SCHEDULED_START_WINDOW_MS;
  }
  return state.status === ExecutionStatus.Cancelled && state.hasUnfinishedOperations;
}
