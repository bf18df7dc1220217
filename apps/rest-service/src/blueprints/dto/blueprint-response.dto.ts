import { Visibility } from '@nestify/common';

/** A label as Cloudify returns it on a blueprint. */
export class LabelResponseDto {
  key: string;
  value: string;
  created_at: string | null;
  /** Username of who added the label. */
  created_by: string;
}

/** The upload_blueprint execution of a blueprint, in Cloudify's Execution shape. */
export class UploadExecutionResponseDto {
  id: string;
  workflow_id: string;
  status: string;
  status_display: string;
  error: string;
  blueprint_id: string | null;
  deployment_id: string | null;
  parameters: Record<string, unknown> | null;
  is_system_workflow: boolean;
  is_dry_run: boolean;
  created_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

/** A blueprint as Cloudify returns it. */
export class BlueprintResponseDto {
  id: string;
  description: string | null;
  main_file_name: string | null;
  /** The parsed DSL plan; null until the upload succeeds. */
  plan: Record<string, unknown> | null;
  /** `{secrets: [..], parent_capabilities: [..]}` needed at deploy time. */
  requirements: Record<string, unknown> | null;
  /** pending, uploading, extracting, parsing, uploaded, or a failed state (e.g. `invalid`). */
  state: string | null;
  error: string | null;
  error_traceback: string | null;
  created_at: string | null;
  updated_at: string | null;
  is_hidden: boolean;
  labels: LabelResponseDto[];
  upload_execution: UploadExecutionResponseDto | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  /** Legacy duplicate of `visibility`. */
  resource_availability: Visibility;
  /** Legacy: whether `visibility` is private. */
  private_resource: boolean;
}

export const BLUEPRINT_FIELDS = [
  'id',
  'description',
  'main_file_name',
  'plan',
  'requirements',
  'state',
  'error',
  'error_traceback',
  'created_at',
  'updated_at',
  'is_hidden',
  'labels',
  'upload_execution',
  'visibility',
  'tenant_name',
  'created_by',
  'resource_availability',
  'private_resource',
] as const;
