import {
  END_EXECUTION_STATUSES,
  ExecutionStatus,
  WAITING_EXECUTION_STATUSES,
} from '@nestify/model';

/**
 * A group's status from its members' (Cloudify's rule): pending when all are pending, queued when
 * all wait or are pending, failed or terminated once all ended (failed if any failed; cancelled
 * members count as ended), started otherwise; null for a group without members.
 */
export function executionGroupStatus(memberStatuses: readonly string[]): string | null {
  if (!memberStatuses.length) return null;
  const all = (test: (status: string) => boolean) => memberStatuses.every(test);
  if (all((s) => s === ExecutionStatus.Pending)) return ExecutionStatus.Pending;
  const waiting = (s: string) =>
    s === ExecutionStatus.Pending || WAITING_EXECUTION_STATUSES.has(s as ExecutionStatus);
  if (all(waiting)) return ExecutionStatus.Queued;
  if (all((s) => END_EXECUTION_STATUSES.has(s as ExecutionStatus))) {
    return memberStatuses.includes(ExecutionStatus.Failed)
      ? ExecutionStatus.Failed
      : ExecutionStatus.Terminated;
  }
  return ExecutionStatus.Started;
}
