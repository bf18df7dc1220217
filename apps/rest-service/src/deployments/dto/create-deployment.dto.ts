import { IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';
import type { JsonObject } from '@nestify/model';

/** PUT /deployments/{id}: what the Python client's `deployments.create` sends. */
export class CreateDeploymentDto {
  @IsString()
  blueprint_id: string;

  /** Input values by name; checked against the blueprint's input definitions. */
  @IsOptional()
  @IsObject()
  inputs?: JsonObject | null;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility | null;

  /** `[{key: value}, {key: [value, value]}]`; keys are lower-cased. */
  @IsOptional()
  @IsArray()
  labels?: unknown[] | null;

  /** Defaults to the deployment id. */
  @IsOptional()
  @IsString()
  display_name?: string | null;

  @IsOptional()
  @IsString()
  site_name?: string | null;

  @IsOptional()
  @IsBoolean()
  skip_plugins_validation?: boolean | null;

  @IsOptional()
  @IsBoolean()
  runtime_only_evaluation?: boolean | null;
}
