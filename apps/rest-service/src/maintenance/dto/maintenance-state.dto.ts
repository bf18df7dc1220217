/** An execution that still has to end before maintenance mode is activated. */
export class RemainingExecutionDto {
  id: string;
  status: string;
  deployment_id: string | null;
  workflow_id: string;
}

/** GET /maintenance and the activate/deactivate answers. */
export class MaintenanceStateDto {
  /** `deactivated`, `activating` or `activated`. */
  status: string;
  /** When it became activated; `""` when never. */
  activated_at: string | null;
  /** When activation was asked for; `""` when deactivated without history. */
  activation_requested_at: string | null;
  /** Executions still running or queued (while activating); null otherwise. */
  remaining_executions: RemainingExecutionDto[] | null;
  /** Username of who asked for maintenance mode. */
  requested_by: string | null;
}
