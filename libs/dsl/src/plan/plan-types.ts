import { Json, JsonObject } from '../json';

/** An operation as it appears in a plan's `operations` / `source_operations` / `target_operations`. */
export interface PlanOperation extends JsonObject {
  operation: string;
  plugin: string;
  executor: string | null;
  inputs: JsonObject;
  has_intrinsic_functions: boolean;
  max_retries: number | null;
  retry_interval: number | null;
  timeout: number | null;
  timeout_recoverable: boolean | null;
}

export interface ScalableProperties extends JsonObject {
  default_instances: number;
  min_instances: number;
  /** -1 means unbounded. */
  max_instances: number;
  current_instances: number;
  planned_instances: number;
}

/** A relationship of a plan node (`nodes[].relationships[]`). */
export interface PlanRelationship extends JsonObject {
  type: string;
  target_id: string;
  type_hierarchy: string[];
  /** Includes `connection_type` (`all_to_all` or `all_to_one`). */
  properties: JsonObject;
  source_interfaces: JsonObject;
  target_interfaces: JsonObject;
  source_operations: Record<string, PlanOperation>;
  target_operations: Record<string, PlanOperation>;
}

/** A node of the plan (`nodes[]`). */
export interface PlanNode extends JsonObject {
  id: string;
  name: string;
  type: string;
  type_hierarchy: string[];
  properties: JsonObject;
  operations: Record<string, PlanOperation>;
  interfaces: JsonObject;
  relationships: PlanRelationship[];
  plugins: JsonObject[];
  plugins_to_install: JsonObject[];
  deployment_plugins_to_install: JsonObject[];
  host_id: string | null;
  instances: { deploy: number };
  capabilities: { scalable: { properties: ScalableProperties } };
}

/** A relationship of a node instance. */
export interface PlanInstanceRelationship extends JsonObject {
  type: string;
  target_id: string;
  target_name: string;
}

/** A node instance of the plan (`node_instances[]`). */
export interface PlanNodeInstance {
  id: string;
  name: string;
  node_id: string;
  host_id: string | null;
  relationships: PlanInstanceRelationship[];
  scaling_groups?: JsonObject[];
}

export interface ScalingGroup extends JsonObject {
  members: string[];
  properties: ScalableProperties;
}

/** The deployment plan, with Cloudify's key names (shared/spec/dsl.md §6). */
export interface DeploymentPlan {
  nodes: PlanNode[];
  node_instances: PlanNodeInstance[];
  relationships: JsonObject;
  workflows: JsonObject;
  inputs: JsonObject;
  outputs: JsonObject;
  capabilities: JsonObject;
  groups: JsonObject;
  policies: JsonObject;
  scaling_groups: Record<string, ScalingGroup>;
  policy_types: JsonObject;
  policy_triggers: JsonObject;
  data_types: JsonObject;
  deployment_plugins_to_install: JsonObject[];
  workflow_plugins_to_install: JsonObject[];
  host_agent_plugins_to_install: JsonObject[];
  description: string | null;
  metadata: JsonObject;
  labels: JsonObject;
  blueprint_labels: JsonObject;
  deployment_settings: JsonObject;
  resource_tags: JsonObject;
  imported_blueprints: string[];
  namespaces_mapping: JsonObject;
  inter_deployment_functions: JsonObject[];
  requirements: { secrets: Json[]; parent_capabilities: Json[] };
  version: { raw: string; definitions_name: string; definitions_version: number[] };
}
