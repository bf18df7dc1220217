import { Visibility } from '@nestify/common';

/** A label of a group. */
export class DeploymentGroupLabelDto {
  key: string;
  value: string;
  created_at: string | null;
  created_by: string;
}

/** A deployment group as Cloudify returns it. */
export class DeploymentGroupResponseDto {
  id: string;
  description: string | null;
  default_blueprint_id: string | null;
  default_inputs: Record<string, unknown>;
  deployment_ids: string[];
  labels: DeploymentGroupLabelDto[];
  creation_counter: number;
  created_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const DEPLOYMENT_GROUP_FIELDS = [
  'id',
  'description',
  'default_blueprint_id',
  'default_inputs',
  'deployment_ids',
  'labels',
  'creation_counter',
  'created_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
