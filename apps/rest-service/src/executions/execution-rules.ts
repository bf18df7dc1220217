import { BadParametersError, IllegalActionError } from '@nestify/common';
import {
  ACTIVE_EXECUTION_STATUSES,
  END_EXECUTION_STATUSES,
  EXECUTION_STATUSES,
  ExecutionStatus,
  isExecutionStatus,
} from '@nestify/model';
import { ExistingRunningExecutionError } from './execution-errors';

/** The one workflow whose ended executions may change status again (a restored snapshot). */
const REOPENABLE_WORKFLOW = 'create_snapshot';

const isEnd = (status: string) => END_EXECUTION_STATUSES.has(status as ExecutionStatus);
const isActive = (status: string) => ACTIVE_EXECUTION_STATUSES.has(status as ExecutionStatus);

/**
 * Whether PATCH /executions/{id} may move an execution from `current` to `next` (Cloudify's
 * `_validate_execution_update`): the same status is always fine; an ended execution stays ended;
 * a cancelling one may only end failed/cancelled (or wait again); a force-cancelling one not even
 * go back to plain cancelling. Everything else is allowed.
 */
export function isStatusUpdateAllowed(workflowId: string, current: string, next: string): boolean {
  if (current === next) return true;
  if (isEnd(current) && workflowId !== REOPENABLE_WORKFLOW) return false;
  const refusedWhileCancelling = (status: string) =>
    isActive(status) || status === ExecutionStatus.Terminated;
  if (current === ExecutionStatus.Cancelling && refusedWhileCancelling(next)) return false;
  if (current === ExecutionStatus.ForceCancelling && refusedWhileCancelling(next)) return false;
  return true;
}

export type CancelAction = 'cancel' | 'force-cancel' | 'kill';

/** What a cancel action does to an execution in a given status. */
export interface CancelPlan {
  /** The status to store. */
  status: ExecutionStatus;
  /** Send the kill message to the workers (kill, or an execution that never started). */
  kill: boolean;
}

/**
 * Checks a cancel/force-cancel/kill request against the execution's status and says what to
 * store. Waiting (queued/scheduled) executions never reached a worker: they end `cancelled` at
 * once. Otherwise cancel needs pending/started/scheduled, force-cancel also accepts cancelling,
 * kill accepts anything.
 */
export function planCancel(executionId: string, status: string, action: CancelAction): CancelPlan {
  if (status === ExecutionStatus.Queued || status === ExecutionStatus.Scheduled) {
    return { status: ExecutionStatus.Cancelled, kill: false };
  }
  const force = action === 'force-cancel';
  const allowed =
    action === 'kill' ||
    (force && status === ExecutionStatus.Cancelling) ||
    status === ExecutionStatus.Pending ||
    status === ExecutionStatus.Started;
  if (!allowed) {
    throw new IllegalActionError(
      `Can't ${force ? 'force-' : ''}cancel execution ${executionId} because it's in status ${status}`,
    );
  }
  const next = {
    cancel: ExecutionStatus.Cancelling,
    'force-cancel': ExecutionStatus.ForceCancelling,
    kill: ExecutionStatus.KillCancelling,
  }[action];
  return { status: next, kill: action === 'kill' };
}

/** Statuses from which resume resets operations and re-dispatches. */
export function resumeResetsOperations(status: string): boolean {
  return status === ExecutionStatus.Failed || status === ExecutionStatus.Cancelled;
}

/** What blocks a new execution, as the repository found it. */
export interface ConcurrencyFacts {
  /** Ids of active or queued system executions in any tenant (other than this one). */
  systemBlockers: string[];
  /**
   * Ids of executions of the same deployment that are active, or queued and created earlier
   * (empty for an execution without deployment).
   */
  deploymentBlockers: string[];
  /** Ids of any other active execution (only consulted for a system execution without deployment). */
  anyActive: string[];
}

export interface ConcurrencyRequest {
  workflowId: string;
  hasDeployment: boolean;
  isSystemWorkflow: boolean;
  force: boolean;
  queue: boolean;
  /** A legacy create_snapshot blocks like any other; a new one runs beside everything. */
  legacySnapshot?: boolean;
}

export type ConcurrencyDecision = 'run' | 'queue';

/**
 * Decides whether a new execution runs now or waits (rest-api.md §4): a busy system workflow
 * queues everything; force runs; a system execution without deployment waits for every active
 * one; otherwise an active or older queued execution of the same deployment queues it when
 * `queue` is set and refuses it when not.
 */
export function decideConcurrency(
  request: ConcurrencyRequest,
  facts: ConcurrencyFacts,
): ConcurrencyDecision {
  if (request.workflowId === REOPENABLE_WORKFLOW && !request.legacySnapshot && !request.queue) {
    return 'run';
  }
  if (request.isSystemWorkflow && !request.hasDeployment) {
    if (!facts.anyActive.length) return 'run';
    if (request.queue) return 'queue';
    throw new ExistingRunningExecutionError(
      `Cannot start execution because there are other executions running e.g.: ${facts.anyActive.join(', ')}`,
    );
  }
  if (facts.systemBlockers.length) return 'queue';
  if (request.force || !request.hasDeployment) return 'run';
  if (!facts.deploymentBlockers.length) return 'run';
  if (request.queue) return 'queue';
  throw new ExistingRunningExecutionError(
    `The following executions are currently running for this deployment: ` +
      `[${facts.deploymentBlockers.join(', ')}]. To execute this workflow anyway, ` +
      `pass "force=true" as a query parameter to this request`,
  );
}

/** `terminated` shows as `completed`; every other status as itself. */
export function statusDisplay(status: string): string {
  return status === ExecutionStatus.Terminated ? 'completed' : status;
}

/** A status PATCH may name: one of the ten Cloudify knows. */
export function assertExecutionStatus(value: unknown): ExecutionStatus {
  if (!isExecutionStatus(value)) {
    throw new BadParametersError(
      `Invalid execution status \`${String(value)}\`. Valid statuses are: ${EXECUTION_STATUSES.join(', ')}`,
    );
  }
  return value;
}
