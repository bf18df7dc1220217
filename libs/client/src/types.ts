/** Response and request shapes of the manager's REST API (`/api/v3.1`), in Cloudify's field names. */

export type Visibility = 'private' | 'tenant' | 'global';

export interface Pagination {
  total: number;
  size: number;
  offset: number;
}

export interface ListResponse<T> {
  items: T[];
  metadata: { pagination: Pagination; filtered?: number | null };
}

/** Query parameters of list calls: equality filters plus `_sort`, `_size`, `_offset`, `_include`… */
export type ListQuery = Record<string, string | number | boolean | string[] | undefined>;

interface TenantResource {
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export interface Label {
  key: string;
  value: string;
  created_at?: string;
  created_by?: string;
}

export interface Execution extends TenantResource {
  id: string;
  workflow_id: string;
  deployment_id: string | null;
  blueprint_id: string | null;
  status: ExecutionStatus;
  status_display?: string;
  error: string;
  parameters: Record<string, unknown>;
  is_system_workflow: boolean;
  is_dry_run: boolean;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  total_operations: number | null;
  finished_operations: number | null;
}

export type ExecutionStatus =
  | 'pending'
  | 'started'
  | 'cancelling'
  | 'force_cancelling'
  | 'kill_cancelling'
  | 'queued'
  | 'scheduled'
  | 'terminated'
  | 'failed'
  | 'cancelled';

export const END_STATUSES: readonly ExecutionStatus[] = ['terminated', 'failed', 'cancelled'];

export interface Blueprint extends TenantResource {
  id: string;
  description: string | null;
  main_file_name: string;
  plan: Record<string, unknown> | null;
  state: string;
  error: string | null;
  created_at: string;
  updated_at: string;
  is_hidden: boolean;
  labels: Label[];
  upload_execution: Execution | null;
}

export interface BlueprintUpload {
  /** A tar.gz (or tar, tar.bz2, zip) holding one top-level folder with the blueprint. */
  archive: Uint8Array;
  archiveName: string;
  /** The blueprint's YAML inside that folder; `blueprint.yaml` unless told. */
  applicationFileName?: string;
  visibility?: Visibility;
  labels?: Array<Record<string, string>>;
}

export interface DeploymentWorkflow {
  name: string;
  plugin?: string;
  operation?: string;
  parameters: Record<string, unknown>;
  is_available?: boolean;
}

export interface Deployment extends TenantResource {
  id: string;
  display_name: string;
  blueprint_id: string;
  description: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  capabilities: Record<string, unknown>;
  workflows: DeploymentWorkflow[];
  created_at: string;
  updated_at: string;
  site_name: string | null;
  labels: Label[];
  installation_status: string | null;
  deployment_status: string | null;
  latest_execution_status: string | null;
  latest_execution_total_operations: number | null;
  latest_execution_finished_operations: number | null;
}

export interface CreateDeployment {
  blueprint_id: string;
  inputs?: Record<string, unknown>;
  visibility?: Visibility;
  labels?: Array<Record<string, string>>;
  display_name?: string;
  site_name?: string;
  skip_plugins_validation?: boolean;
  runtime_only_evaluation?: boolean;
}

export interface StartExecution {
  deployment_id: string;
  workflow_id: string;
  parameters?: Record<string, unknown>;
  allow_custom_parameters?: boolean;
  force?: boolean;
  dry_run?: boolean;
  queue?: boolean;
  wait_after_fail?: number;
}

export type ExecutionAction =
  'cancel' | 'force-cancel' | 'kill' | 'resume' | 'force-resume' | 'requeue';

/** One stored event (`cloudify_event`) or log (`cloudify_log`) of an execution. */
export interface EventItem {
  type: 'cloudify_event' | 'cloudify_log';
  timestamp: string;
  reported_timestamp: string;
  message: string;
  event_type: string | null;
  level: string | null;
  logger: string | null;
  execution_id: string | null;
  deployment_id: string | null;
  workflow_id: string | null;
  node_instance_id: string | null;
  node_name: string | null;
  operation: string | null;
  source_id: string | null;
  target_id: string | null;
  error_causes: unknown;
}

export interface Node extends TenantResource {
  id: string;
  deployment_id: string;
  blueprint_id: string;
  type: string;
  type_hierarchy: string[];
  properties: Record<string, unknown>;
  host_id: string | null;
  number_of_instances: number;
  planned_number_of_instances: number;
  deploy_number_of_instances: number;
}

export interface NodeInstance extends TenantResource {
  id: string;
  node_id: string;
  deployment_id: string;
  host_id: string | null;
  index: number;
  state: string;
  version: number;
  runtime_properties: Record<string, unknown>;
  relationships: Array<{ target_id: string; target_name: string; type: string }>;
}

export interface Secret extends TenantResource {
  key: string;
  value?: unknown;
  created_at: string;
  updated_at: string;
  is_hidden_value: boolean;
  schema?: unknown;
}

export interface CreateSecret {
  value: unknown;
  update_if_exists?: boolean;
  is_hidden_value?: boolean;
  visibility?: Visibility;
}

export interface UpdateSecret {
  value?: unknown;
  visibility?: Visibility;
  is_hidden_value?: boolean;
}

export interface Plugin extends TenantResource {
  id: string;
  package_name: string;
  package_version: string;
  archive_name: string;
  distribution: string | null;
  supported_platform: string | null;
  uploaded_at: string;
  title: string | null;
}

export interface Tenant {
  name: string;
  users: number | Record<string, unknown>;
  groups: number | Record<string, unknown>;
}

export interface User {
  username: string;
  role: string;
  tenants: number | Record<string, unknown>;
  groups: number | string[];
  active: boolean;
  created_at: string;
  last_login_at: string | null;
  is_locked: boolean;
}

export interface Token {
  id: string;
  value: string;
  username: string;
  role: string;
  expiration_date: string | null;
  last_used: string | null;
  description: string | null;
}

export interface Site {
  name: string;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  created_at: string;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export interface Agent extends TenantResource {
  id: string;
  name: string;
  ip: string | null;
  install_method: string;
  system: string | null;
  version: string | null;
  node: string;
  deployment: string;
  state: string;
}

export interface ManagerStatus {
  status: 'OK' | 'Degraded' | 'Fail';
  services: Record<string, { status: 'Active' | 'Inactive'; is_remote: boolean }>;
}

export interface ManagerVersion {
  edition: string;
  version: string;
}
