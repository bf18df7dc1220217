import { IsArray, IsObject, IsOptional } from 'class-validator';

/** POST /searches/{deployments,blueprints}. */
export class SearchBodyDto {
  /** `[{key, values, operator, type}]`; ANDed with a saved filter's rules (`_filter_id`). */
  @IsOptional()
  @IsArray()
  filter_rules?: Record<string, unknown>[];

  /** DSL constraints (not supported yet for these resources). */
  @IsOptional()
  @IsObject()
  constraints?: Record<string, unknown>;
}
