import { Visibility } from '@nestify/common';
import { PaginationDto } from '../../openapi/list-envelope.dto';

/** "Deployment `source` uses deployment `target`", as Cloudify returns it. */
export class InterDeploymentDependencyResponseDto {
  id: string;
  dependency_creator: string;
  source_deployment_id: string | null;
  target_deployment_id: string | null;
  target_deployment_func: Record<string, unknown> | null;
  external_source: Record<string, unknown> | null;
  external_target: Record<string, unknown> | null;
  created_at: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export const INTER_DEPLOYMENT_DEPENDENCY_FIELDS = [
  'id',
  'dependency_creator',
  'source_deployment_id',
  'target_deployment_id',
  'target_deployment_func',
  'external_source',
  'external_target',
  'created_at',
  'visibility',
  'tenant_name',
  'created_by',
] as const;

/** The id of a dependency a batch created. */
export class CreatedDependencyIdDto {
  id: string;
}

/** `metadata` of the batch answer (pagination only). */
export class CreatedDependenciesMetadataDto {
  pagination: PaginationDto;
}

/** The batch endpoints answer the ids they created, in a list envelope without `filtered`. */
export class CreatedDependenciesDto {
  items: CreatedDependencyIdDto[];
  metadata: CreatedDependenciesMetadataDto;
}
