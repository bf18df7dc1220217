import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** A deployment to create from the group's default blueprint. */
export class NewDeploymentDto {
  /** The id; else the blueprint's `deployment_settings.id_template`, else `{group_id}-{uuid}`. */
  @IsOptional()
  @IsString()
  id?: string | null;

  @IsOptional()
  @IsString()
  display_name?: string | null;

  /** Over the group's `default_inputs`. */
  @IsOptional()
  @IsObject()
  inputs?: Record<string, unknown> | null;

  /** `[{key: value}]`; the group's labels are added. */
  @IsOptional()
  @IsArray()
  labels?: Record<string, unknown>[] | null;

  @IsOptional()
  @IsString()
  site_name?: string | null;

  @IsOptional()
  @IsBoolean()
  runtime_only_evaluation?: boolean | null;

  @IsOptional()
  @IsBoolean()
  skip_plugins_validation?: boolean | null;
}

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

  /** Deployments to create from the group's default blueprint and add. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NewDeploymentDto)
  new_deployments?: NewDeploymentDto[];
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

  /** Deployments to create from the group's default blueprint (add only). */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NewDeploymentDto)
  new_deployments?: NewDeploymentDto[];
}

/** PATCH /deployment-groups/{id}. */
export class PatchDeploymentGroupDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupMembersDto)
  add?: GroupMembersDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => GroupMembersDto)
  remove?: GroupMembersDto;
}
