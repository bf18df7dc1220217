import { IsArray, IsIn, IsOptional } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PUT /filters/{deployments,blueprints}/{id}. */
export class CreateFilterDto {
  /** `[{key, values, operator, type}]`, checked by parseFilterRules. */
  @IsArray()
  filter_rules: Record<string, unknown>[];

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;
}

/** PATCH /filters/{deployments,blueprints}/{id}: new rules of a type replace that type's rules. */
export class UpdateFilterDto {
  @IsOptional()
  @IsArray()
  filter_rules?: Record<string, unknown>[];

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;
}
