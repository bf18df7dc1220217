import { Allow, IsBoolean, IsIn, IsObject, IsOptional, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PUT /secrets/{key}. `value` is a string, or any JSON when a `schema` is given. */
export class CreateSecretDto {
  @Allow()
  value?: unknown;

  @IsOptional()
  @IsBoolean()
  update_if_exists?: boolean;

  @IsOptional()
  @IsBoolean()
  is_hidden_value?: boolean;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  /** JSON schema the value must satisfy. */
  @IsOptional()
  @IsObject()
  schema?: Record<string, unknown> | null;

  @IsOptional()
  @IsString()
  provider_name?: string | null;

  @IsOptional()
  @IsObject()
  provider_options?: Record<string, unknown> | null;
}

/** PATCH /secrets/{key}: any subset. */
export class UpdateSecretDto {
  @Allow()
  value?: unknown;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @IsOptional()
  @IsBoolean()
  is_hidden_value?: boolean;

  /** New owner's username (needs `set_owner`). */
  @IsOptional()
  @IsString()
  creator?: string;

  @IsOptional()
  @IsString()
  provider_name?: string | null;

  @IsOptional()
  @IsObject()
  provider_options?: Record<string, unknown> | null;
}

/** PATCH /secrets/{key}/set-visibility: only widening to tenant or global. */
export class SetSecretVisibilityDto {
  @IsIn([Visibility.Tenant, Visibility.Global])
  visibility: Visibility;
}
