import { Visibility } from '@nestify/common';

/** An execution group as Cloudify returns it. */
export class ExecutionGroupResponseDto {
  id: string;
  workflow_id: string;
  deployment_group_id: string | null;
  concurrency: number;
  created_at: string | null;
  /** Its executions (lists show it only with `_get_data=true`). */
  execution_ids?: string[];
  /**
   * Derived from the members: pending (all pending), queued (all waiting or pending), failed or
   * terminated (all ended, with or without a failure), else started; null without members.
   */
  status?: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const EXECUTION_GROUP_FIELDS = [
  'id',
  'workflow_id',
  'deployment_group_id',
  'concurrency',
  'created_at',
  'execution_ids',
  'status',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
