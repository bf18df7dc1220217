import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import type { JsonObject } from '@nestify/model';

/** One instance the workflow engine creates; fields it leaves out get Cloudify's defaults. */
export class NewNodeInstanceDto {
  /** `<node_id>_<6 chars>`; renamed if another instance already has it. */
  @IsString()
  id: string;

  @IsString()
  node_id: string;

  @IsOptional()
  @IsString()
  host_id?: string | null;

  /** `[{target_id, target_name, type}]`. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  relationships?: JsonObject[] | null;

  /** `[{name, id}]`. */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  scaling_groups?: JsonObject[] | null;

  /** 1-based; defaults to the next free index of its node. */
  @IsOptional()
  @IsInt()
  index?: number | null;

  @IsOptional()
  @IsObject()
  runtime_properties?: JsonObject | null;

  @IsOptional()
  @IsObject()
  system_properties?: JsonObject | null;

  @IsOptional()
  @IsString()
  state?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number | null;

  @IsOptional()
  @IsBoolean()
  is_status_check_ok?: boolean | null;

  @IsOptional()
  @IsBoolean()
  has_configuration_drift?: boolean | null;
}

/** POST /node-instances: a deployment's new instances, inserted together. */
export class CreateNodeInstancesDto {
  @IsString()
  deployment_id: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => NewNodeInstanceDto)
  node_instances: NewNodeInstanceDto[];
}
