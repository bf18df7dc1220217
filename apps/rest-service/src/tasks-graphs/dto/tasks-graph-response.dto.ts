import { Visibility } from '@nestify/common';

/** A persisted task graph. */
export class TasksGraphResponseDto {
  id: string;
  name: string | null;
  execution_id: string;
  created_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const TASKS_GRAPH_FIELDS = [
  'id',
  'name',
  'execution_id',
  'created_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
