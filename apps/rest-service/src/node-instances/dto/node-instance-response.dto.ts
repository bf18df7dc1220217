import { Visibility } from '@nestify/common';
import type { JsonObject } from '@nestify/model';

/** A node instance as Cloudify returns it. */
export class NodeInstanceResponseDto {
  id: string;
  node_id: string;
  deployment_id: string;
  host_id: string | null;
  index: number | null;
  state: string;
  version: number;
  runtime_properties: JsonObject | null;
  system_properties: JsonObject | null;
  /** `[{target_id, target_name, type}]`. */
  relationships: JsonObject[] | null;
  /** `[{name, id}]`. */
  scaling_groups: JsonObject[] | null;
  has_configuration_drift: boolean;
  is_status_check_ok: boolean;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const NODE_INSTANCE_FIELDS = [
  'id',
  'node_id',
  'deployment_id',
  'host_id',
  'index',
  'state',
  'version',
  'runtime_properties',
  'system_properties',
  'relationships',
  'scaling_groups',
  'has_configuration_drift',
  'is_status_check_ok',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
