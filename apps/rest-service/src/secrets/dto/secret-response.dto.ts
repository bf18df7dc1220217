import { Visibility } from '@nestify/common';

/** A secret as listed: everything but the value. */
export class SecretListItemDto {
  key: string;
  created_at: string | null;
  updated_at: string | null;
  /** Legacy name of `visibility`. */
  resource_availability: Visibility;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  is_hidden_value: boolean;
  provider_name: string | null;
}

/** A single secret: its value is decrypted, or `''` when hidden from the caller. */
export class SecretResponseDto extends SecretListItemDto {
  /** A string, or the JSON value when the secret has a schema. */
  value: unknown;
  schema: Record<string, unknown> | null;
  provider_options: Record<string, unknown> | null;
}

export const SECRET_LIST_FIELDS = [
  'key',
  'created_at',
  'updated_at',
  'resource_availability',
  'visibility',
  'tenant_name',
  'created_by',
  'is_hidden_value',
  'provider_name',
] as const;
