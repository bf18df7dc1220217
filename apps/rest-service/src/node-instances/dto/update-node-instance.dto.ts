import { IsArray, IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';
import type { JsonObject } from '@nestify/model';

/** PATCH /node-instances/{id}: the optimistic-lock version and the fields to replace. */
export class UpdateNodeInstanceDto {
  /** The version the caller last read; an older one than stored is a conflict (409). */
  @IsInt()
  @Min(0)
  version: number;

  @IsOptional()
  @IsString()
  state?: string | null;

  /** Replaces the stored runtime properties whole (no merge). */
  @IsOptional()
  @IsObject()
  runtime_properties?: JsonObject | null;

  @IsOptional()
  @IsObject()
  system_properties?: JsonObject | null;

  /** Only a deployment-update workflow may change these (else 403 only_deployment_update). */
  @IsOptional()
  @IsArray()
  @IsObject({ each: true })
  relationships?: JsonObject[] | null;
}
