import { Visibility } from '@nestify/common';
import type { JsonObject } from '@nestify/model';

/** A node of a deployment as Cloudify returns it. */
export class NodeResponseDto {
  id: string;
  deployment_id: string;
  blueprint_id: string;
  deployment_display_name: string | null;
  type: string;
  type_hierarchy: string[] | null;
  properties: JsonObject | null;
  /** `{name: {operation, plugin, executor, inputs, max_retries, retry_interval, timeout…}}`. */
  operations: JsonObject | null;
  relationships: JsonObject[] | null;
  plugins: JsonObject[] | null;
  plugins_to_install: JsonObject[] | null;
  host_id: string | null;
  number_of_instances: number;
  planned_number_of_instances: number;
  deploy_number_of_instances: number;
  min_number_of_instances: number;
  max_number_of_instances: number;
  /** How many instances the node has now. */
  actual_number_of_instances: number;
  /** planned_number_of_instances times the planned instances of the scaling groups holding it. */
  actual_planned_number_of_instances: number;
  drifted_instances: number;
  unavailable_instances: number;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const NODE_FIELDS = [
  'id',
  'deployment_id',
  'blueprint_id',
  'deployment_display_name',
  'type',
  'type_hierarchy',
  'properties',
  'operations',
  'relationships',
  'plugins',
  'plugins_to_install',
  'host_id',
  'number_of_instances',
  'planned_number_of_instances',
  'deploy_number_of_instances',
  'min_number_of_instances',
  'max_number_of_instances',
  'actual_number_of_instances',
  'actual_planned_number_of_instances',
  'drifted_instances',
  'unavailable_instances',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
