import { Type } from 'class-transformer';
import { IsArray, IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { JsonObject } from '@nestify/model';

/**
 * A node of a deployment plan as the workflow engine posts it. Only these fields are kept (the
 * plan carries more); `capabilities.scalable.properties` supplies the instance-count defaults.
 */
export class NewNodeDto {
  @IsString()
  id: string;

  @IsString()
  type: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  type_hierarchy?: string[] | null;

  @IsOptional()
  @IsObject()
  properties?: JsonObject | null;

  @IsOptional()
  @IsObject()
  operations?: JsonObject | null;

  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  relationships?: JsonObject[] | null;

  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  plugins?: JsonObject[] | null;

  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  plugins_to_install?: JsonObject[] | null;

  @IsOptional()
  @IsString()
  host_id?: string | null;

  /** `{scalable: {properties: {default_instances, min_instances, max_instances, current_instances}}}`. */
  @IsOptional()
  @IsObject()
  capabilities?: JsonObject | null;

  @IsOptional()
  @IsInt()
  number_of_instances?: number;

  @IsOptional()
  @IsInt()
  planned_number_of_instances?: number;

  @IsOptional()
  @IsInt()
  deploy_number_of_instances?: number;

  @IsOptional()
  @IsInt()
  min_number_of_instances?: number;

  @IsOptional()
  @IsInt()
  max_number_of_instances?: number;
}

/** POST /nodes: a deployment's nodes, inserted together. */
export class CreateNodesDto {
  @IsString()
  deployment_id: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NewNodeDto)
  nodes: NewNodeDto[];
}
