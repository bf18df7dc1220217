import { ExecutionStatus } from '../executions/execution-status';

/** Overall health of a deployment (also used for its sub-services / sub-environments). */
export enum DeploymentStatus {
  Good = 'good',
  InProgress = 'in_progress',
  RequiresAttention = 'requires_attention',
}

export const DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = Object.values(DeploymentStatus);

/** Whether every node instance of the deployment is started. */
export enum InstallationStatus {
  Active = 'active',
  Inactive = 'inactive',
}

export const INSTALLATION_STATUSES: readonly InstallationStatus[] =
  Object.values(InstallationStatus);

/** `latest_execution_status` of a deployment: its latest execution's status, summarised. */
export enum ExecutionSummary {
  Completed = 'completed',
  Failed = 'failed',
  Cancelled = 'cancelled',
  InProgress = 'in_progress',
}

export function summarizeExecutionStatus(status: ExecutionStatus | string): ExecutionSummary {
  switch (status) {
    case ExecutionStatus.Terminated:
      return ExecutionSummary.Completed;
    case ExecutionStatus.Failed:
      return ExecutionSummary.Failed;
    case ExecutionStatus.Cancelled:
      return ExecutionSummary.Cancelled;
    default:
      return ExecutionSummary.InProgress;
  }
}
