import { Visibility } from '@nestify/common';

/** A stored task of a workflow's graph. */
export class OperationResponseDto {
  id: string;
  name: string | null;
  state: string;
  type: string | null;
  dependencies: string[] | null;
  parameters: Record<string, unknown> | null;
  manager_name: string | null;
  agent_name: string | null;
  tasks_graph_id: string;
  execution_id: string;
  created_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const OPERATION_FIELDS = [
  'id',
  'name',
  'state',
  'type',
  'dependencies',
  'parameters',
  'manager_name',
  'agent_name',
  'tasks_graph_id',
  'execution_id',
  'created_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
