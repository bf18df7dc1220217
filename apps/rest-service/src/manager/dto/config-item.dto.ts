/** One manager setting. */
export class ConfigItemDto {
  name: string;
  /** `********` for admin-only settings when the caller is not an admin. */
  value: unknown;
  /** JSON schema a new value must satisfy. */
  schema: unknown;
  is_editable: boolean;
  admin_only: boolean;
  updated_at: string | null;
  /** Which component reads it: rest, workflow, mgmtworker, agent… */
  scope: string;
  updater_name: string | null;
}

export class AuthorizationConfigDto {
  roles: { name: string; type: string; description: string | null }[];
  /** Permission name → the roles allowed it. */
  permissions: Record<string, string[]>;
}

/** GET /config. */
export class ConfigResponseDto {
  metadata: Record<string, unknown>;
  items: ConfigItemDto[];
  /** Only without `scope` or with `scope=authorization`. */
  authorization?: AuthorizationConfigDto;
}
