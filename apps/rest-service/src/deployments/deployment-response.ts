import { formatTimestamp, Visibility } from '@nestify/common';
import {
  DeploymentStatus,
  ExecutionStatus,
  InstallationStatus,
  JsonObject,
  summarizeExecutionStatus,
} from '@nestify/model';
import {
  DeploymentLabelDto,
  DeploymentResponseDto,
  DeploymentWorkflowDto,
} from './dto/deployment-response.dto';

/** A deployment as the repository reads it: its columns plus the names its response shows. */
export interface DeploymentRow {
  _storage_id: number;
  _tenant_id: number;
  id: string;
  display_name: string | null;
  blueprint_id: string;
  description: string | null;
  inputs: JsonObject | null;
  outputs: JsonObject | null;
  capabilities: JsonObject | null;
  groups: JsonObject | null;
  policy_types: JsonObject | null;
  policy_triggers: JsonObject | null;
  scaling_groups: JsonObject | null;
  workflows: JsonObject | null;
  permalink: string | null;
  runtime_only_evaluation: boolean;
  created_at: Date | null;
  updated_at: Date | null;
  site_name: string | null;
  installation_status: string | null;
  deployment_status: string | null;
  latest_execution: string | null;
  create_execution: string | null;
  latest_execution_status: string | null;
  latest_execution_workflow_id: string | null;
  latest_execution_total_operations: number | null;
  latest_execution_finished_operations: number | null;
  sub_services_status: string | null;
  sub_environments_status: string | null;
  sub_services_count: number;
  sub_environments_count: number;
  has_sub_deployments: boolean;
  environment_type: string;
  resource_tags: JsonObject | null;
  drifted_instances: number;
  unavailable_instances: number;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

/** A stored label with its creator's name. */
export interface LabelRow {
  key: string;
  value: string;
  createdAt: Date;
  creatorName: string;
}

/** What workflow availability rules look at: the instances' states and the nodes' types. */
export interface AvailabilityFacts {
  instanceStates: string[];
  nodeTypes: string[];
}

const INACTIVE_STATES = ['uninitialized', 'deleted'];

function instancesActiveMatches(rule: unknown, states: Set<string>): boolean {
  if (rule === null || rule === undefined) return true;
  if (!Array.isArray(rule)) return false;
  const allStarted = states.size === 0 || (states.size === 1 && states.has('started'));
  const noneActive = [...states].every((state) => INACTIVE_STATES.includes(state));
  return rule.some((kind) => {
    if (kind === 'all') return allStarted;
    if (kind === 'partial') return !(states.size === 1 && states.has('started')) && !noneActive;
    if (kind === 'none') return !states.has('started');
    return false;
  });
}

/**
 * Whether a workflow's `availability_rules` hold now (Cloudify's rules: `available`,
 * `node_instances_active` with all/partial/none, `node_types_required`); no rules → available.
 */
export function isWorkflowAvailable(workflow: JsonObject, facts: AvailabilityFacts): boolean {
  const rules = workflow.availability_rules;
  if (!rules || typeof rules !== 'object' || Array.isArray(rules)) return true;
  const states = new Set(facts.instanceStates);
  const checks: Record<string, (rule: unknown) => boolean> = {
    available: (rule) => rule === true || rule === null,
    node_instances_active: (rule) => instancesActiveMatches(rule, states),
    node_types_required: (rule) =>
      !Array.isArray(rule) || rule.length === 0 || rule.some((t) => facts.nodeTypes.includes(t)),
  };
  return Object.entries(rules).every(([name, rule]) => checks[name]?.(rule) ?? true);
}

const NULL_WORKFLOW: DeploymentWorkflowDto = {
  name: null,
  plugin: null,
  operation: null,
  parameters: null,
  is_cascading: null,
  is_available: null,
  availability_rules: null,
};

/**
 * The stored `{name: workflow}` map as Cloudify's list of workflows. Without facts (a list
 * without `_get_data`) each entry has every field null, as Cloudify renders it there.
 */
export function renderWorkflows(
  workflows: JsonObject | null,
  facts?: AvailabilityFacts,
): DeploymentWorkflowDto[] {
  if (!workflows || typeof workflows !== 'object' || Array.isArray(workflows)) return [];
  return Object.entries(workflows).map(([name, raw]) => {
    if (!facts) return { ...NULL_WORKFLOW };
    const workflow = (raw ?? {}) as JsonObject;
    return {
      name,
      plugin: (workflow.plugin as string | undefined) ?? '',
      operation: (workflow.operation as string | undefined) ?? '',
      parameters: (workflow.parameters as JsonObject | undefined) ?? {},
      is_cascading: (workflow.is_cascading as boolean | undefined) ?? false,
      is_available: isWorkflowAvailable(workflow, facts),
      availability_rules: (workflow.availability_rules as JsonObject | undefined) ?? null,
    };
  });
}

/** `active` when every instance is started (or there are none), else `inactive`. */
export function installationStatusOf(instanceStates: readonly string[]): InstallationStatus {
  return instanceStates.every((state) => state === 'started')
    ? InstallationStatus.Active
    : InstallationStatus.Inactive;
}

/** Cloudify's deployment status after its latest execution ends (sub-deployments aside). */
export function deploymentStatusOf(
  latest: ExecutionStatus | string,
  installation: InstallationStatus,
): DeploymentStatus {
  const summary = summarizeExecutionStatus(latest);
  if (summary === 'in_progress') return DeploymentStatus.InProgress;
  if (summary === 'failed' || installation === InstallationStatus.Inactive)
    return DeploymentStatus.RequiresAttention;
  return DeploymentStatus.Good;
}

export function labelResponse(label: LabelRow): DeploymentLabelDto {
  return {
    key: label.key,
    value: label.value,
    created_at: formatTimestamp(label.createdAt),
    created_by: label.creatorName,
  };
}

/** The response of a deployment; `facts` renders its workflows (else they show as nulls). */
export function toDeploymentResponse(
  row: DeploymentRow,
  labels: LabelRow[],
  groups: string[],
  facts?: AvailabilityFacts,
): DeploymentResponseDto {
  return {
    id: row.id,
    display_name: row.display_name,
    blueprint_id: row.blueprint_id,
    description: row.description,
    inputs: row.inputs,
    outputs: row.outputs,
    capabilities: row.capabilities,
    groups: row.groups,
    policy_types: row.policy_types,
    policy_triggers: row.policy_triggers,
    scaling_groups: row.scaling_groups,
    workflows: renderWorkflows(row.workflows, facts),
    permalink: row.permalink,
    runtime_only_evaluation: row.runtime_only_evaluation,
    created_at: formatTimestamp(row.created_at),
    updated_at: formatTimestamp(row.updated_at),
    site_name: row.site_name,
    labels: labels.map(labelResponse),
    deployment_groups: groups,
    installation_status: row.installation_status ?? InstallationStatus.Inactive,
    deployment_status: row.deployment_status,
    latest_execution: row.latest_execution,
    create_execution: row.create_execution,
    latest_execution_status: row.latest_execution_status
      ? summarizeExecutionStatus(row.latest_execution_status)
      : null,
    latest_execution_workflow_id: row.latest_execution_workflow_id,
    latest_execution_total_operations: row.latest_execution_total_operations,
    latest_execution_finished_operations: row.latest_execution_finished_operations,
    sub_services_status: row.sub_services_status,
    sub_environments_status: row.sub_environments_status,
    sub_services_count: row.sub_services_count,
    sub_environments_count: row.sub_environments_count,
    has_sub_deployments: row.has_sub_deployments,
    environment_type: row.environment_type,
    resource_tags: row.resource_tags,
    drifted_instances: row.drifted_instances,
    unavailable_instances: row.unavailable_instances,
    workdir_zip: null,
    visibility: row.visibility,
    tenant_name: row.tenant_name,
    created_by: row.created_by,
    resource_availability: row.visibility,
    private_resource: row.visibility === Visibility.Private,
  };
}
