import { Visibility } from '@nestify/common';

/** A label of a deployment as Cloudify returns it. */
export class DeploymentLabelDto {
  key: string;
  value: string;
  created_at: string | null;
  created_by: string;
}

/**
 * A workflow of a deployment. Lists without `_get_data` show one entry per workflow with every
 * field null (Cloudify's rendering quirk); GET of one deployment renders them all.
 */
export class DeploymentWorkflowDto {
  name: string | null;
  plugin: string | null;
  operation: string | null;
  parameters: Record<string, unknown> | null;
  is_cascading: boolean | null;
  is_available: boolean | null;
  availability_rules: Record<string, unknown> | null;
}

/** A deployment as Cloudify returns it. */
export class DeploymentResponseDto {
  id: string;
  display_name: string | null;
  blueprint_id: string;
  description: string | null;
  inputs: Record<string, unknown> | null;
  /** The outputs as declared (evaluated values: GET /deployments/{id}/outputs). */
  outputs: Record<string, unknown> | null;
  capabilities: Record<string, unknown> | null;
  groups: Record<string, unknown> | null;
  policy_types: Record<string, unknown> | null;
  policy_triggers: Record<string, unknown> | null;
  scaling_groups: Record<string, unknown> | null;
  workflows: DeploymentWorkflowDto[];
  permalink: string | null;
  runtime_only_evaluation: boolean;
  created_at: string | null;
  updated_at: string | null;
  site_name: string | null;
  labels: DeploymentLabelDto[];
  deployment_groups: string[];
  /** `active` when every node instance is started, else `inactive`. */
  installation_status: string;
  /** `good`, `in_progress` or `requires_attention`. */
  deployment_status: string | null;
  latest_execution: string | null;
  create_execution: string | null;
  /** The latest execution's status summarised: completed, failed, cancelled, in_progress. */
  latest_execution_status: string | null;
  latest_execution_workflow_id: string | null;
  latest_execution_total_operations: number | null;
  latest_execution_finished_operations: number | null;
  sub_services_status: string | null;
  sub_environments_status: string | null;
  sub_services_count: number;
  sub_environments_count: number;
  has_sub_deployments: boolean;
  /** The `csys-env-type` label's value, or `''`. */
  environment_type: string;
  resource_tags: Record<string, unknown> | null;
  drifted_instances: number;
  unavailable_instances: number;
  workdir_zip: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  resource_availability: Visibility;
  private_resource: boolean;
}

export const DEPLOYMENT_FIELDS = [
  'id',
  'display_name',
  'blueprint_id',
  'description',
  'inputs',
  'outputs',
  'capabilities',
  'groups',
  'policy_types',
  'policy_triggers',
  'scaling_groups',
  'workflows',
  'permalink',
  'runtime_only_evaluation',
  'created_at',
  'updated_at',
  'site_name',
  'labels',
  'deployment_groups',
  'installation_status',
  'deployment_status',
  'latest_execution',
  'create_execution',
  'latest_execution_status',
  'latest_execution_workflow_id',
  'latest_execution_total_operations',
  'latest_execution_finished_operations',
  'sub_services_status',
  'sub_environments_status',
  'sub_services_count',
  'sub_environments_count',
  'has_sub_deployments',
  'environment_type',
  'resource_tags',
  'drifted_instances',
  'unavailable_instances',
  'workdir_zip',
  'visibility',
  'tenant_name',
  'created_by',
  'resource_availability',
  'private_resource',
] as const satisfies readonly (keyof DeploymentResponseDto)[];

/** GET /deployments/{id}/outputs. */
export class DeploymentOutputsDto {
  deployment_id: string;
  /** Output name → value, functions evaluated now. */
  outputs: Record<string, unknown>;
}

/** GET /deployments/{id}/capabilities. */
export class DeploymentCapabilitiesDto {
  deployment_id: string;
  /** Capability name → value, functions evaluated now. */
  capabilities: Record<string, unknown>;
}
