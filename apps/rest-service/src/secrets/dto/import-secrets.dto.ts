import { IsArray, IsBoolean, IsObject, IsOptional, IsString } from 'class-validator';

/** POST /secrets/share/import: what GET /secrets/share/export answered, and how to import it. */
export class ImportSecretsDto {
  /** The exported secrets; each is checked on its own and reported by its index. */
  @IsArray()
  secrets_list!: Record<string, unknown>[];

  /** Source tenant name → destination tenant name. */
  @IsOptional()
  @IsObject()
  tenant_map?: Record<string, string> | null;

  /** Opens values exported with `_passphrase` (`encrypted: true`). */
  @IsOptional()
  @IsString()
  passphrase?: string | null;

  /** Replace the value of secrets that already exist (else they are only reported). */
  @IsBoolean()
  override_collisions!: boolean;
}

export interface ImportSecretsResultDto {
  /** Tenant name → keys that already existed there. */
  colliding_secrets: Record<string, string[]>;
  /** Index in `secrets_list` → field → why that secret was not imported. */
  secrets_errors: Record<string, Record<string, unknown>>;
}
