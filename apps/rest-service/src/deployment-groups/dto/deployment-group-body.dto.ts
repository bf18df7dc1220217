import { IsArray, IsIn, IsObject, IsOptional, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PUT /deployment-groups/{id}: creates the group or updates the fields given. */
export class PutDeploymentGroupDto {
  @IsOptional()
  @IsString()
  description?: string;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  /** `[{key: value}]` or `[{key, value}]`; replaces the group's labels. */
  @IsOptional()
  @IsArray()
  labels?: Record<string, unknown>[];

  /** The default blueprint of the group. */
  @IsOptional()
  @IsString()
  blueprint_id?: string;

  @IsOptional()
  @IsObject()
  default_inputs?: Record<string, unknown>;

  /** Replaces the members with these deployments. */
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  deployment_ids?: string[];

  /** Replaces the members with the deployments a saved deployments filter matches. */
  @IsOptional()
  @IsString()
  filter_id?: string;

  /** Adds the deployments these rules match. */
  @IsOptional()
  @IsArray()
  filter_rules?: Record<string, unknown>[];

  /** Replaces the members with those of another group. */
  @IsOptional()
  @IsString()
  deployments_from_group?: string;

  /** Not supported yet: creating deployments from the group's blueprint. */
  @IsOptional()
  @IsArray()
  new_deployments?: Record<string, unknown>[];
}

/** Members to add or remove. */
export class GroupMembersDto {
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  deployment_ids?: string[];

  @IsOptional()
  @IsString()
  filter_id?: string;

  @IsOptional()
  @IsArray()
  filter_rules?: Record<string, unknown>[];

  @IsOptional()
  @IsString()
  deployments_from_group?: string;

  /** Not supported yet (add only). */
  @IsOptional()
  @IsArray()
  new_deployments?: Record<string, unknown>[];
}

/** PATCH /deployment-groups/{id}. */
export class PatchDeploymentGroupDto {
  @IsOptional()
  @IsObject()
  add?: GroupMembersDto;

  @IsOptional()
  @IsObject()
  remove?: GroupMembersDto;
}
