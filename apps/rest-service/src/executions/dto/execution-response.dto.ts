import { Visibility } from '@nestify/common';

/** An execution as Cloudify returns it (its token is never shown). */
export class ExecutionResponseDto {
  id: string;
  workflow_id: string;
  deployment_id: string | null;
  deployment_display_name: string | null;
  blueprint_id: string | null;
  status: string;
  /** `completed` for terminated, else the status. */
  status_display: string;
  error: string | null;
  parameters: Record<string, unknown> | null;
  is_system_workflow: boolean;
  is_dry_run: boolean;
  created_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  scheduled_for: string | null;
  total_operations: number | null;
  finished_operations: number | null;
  resume: boolean;
  allow_custom_parameters: boolean;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  resource_availability: Visibility;
  private_resource: boolean;
}

export const EXECUTION_FIELDS = [
  'id',
  'workflow_id',
  'deployment_id',
  'deployment_display_name',
  'blueprint_id',
  'status',
  'status_display',
  'error',
  'parameters',
  'is_system_workflow',
  'is_dry_run',
  'created_at',
  'started_at',
  'ended_at',
  'scheduled_for',
  'total_operations',
  'finished_operations',
  'resume',
  'allow_custom_parameters',
  'visibility',
  'tenant_name',
  'created_by',
  'resource_availability',
  'private_resource',
] as const;
