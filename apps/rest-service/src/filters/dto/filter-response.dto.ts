import { Visibility } from '@nestify/common';

/** One stored rule. */
export class FilterRuleDto {
  key: string;
  values: string[];
  operator: string;
  /** `label` or `attribute`. */
  type: string;
}

/** A saved filter of deployments or blueprints. */
export class FilterResponseDto {
  id: string;
  /** Every rule. */
  value: FilterRuleDto[];
  labels_filter_rules: FilterRuleDto[];
  attrs_filter_rules: FilterRuleDto[];
  is_system_filter: boolean;
  created_at: string | null;
  updated_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const FILTER_FIELDS = [
  'id',
  'value',
  'labels_filter_rules',
  'attrs_filter_rules',
  'is_system_filter',
  'created_at',
  'updated_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;
