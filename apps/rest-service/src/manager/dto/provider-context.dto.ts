import { IsObject, IsString } from 'class-validator';

/** The provider context; `context.cloudify` carries manager-wide settings (import_resolver…). */
export class ProviderContextDto {
  /** Always `CONTEXT`. */
  id: string;
  name: string;
  context: Record<string, unknown>;
}

/** POST /provider/context. */
export class ProviderContextBodyDto {
  @IsString()
  name: string;

  @IsObject()
  context: Record<string, unknown>;
}

export class ProviderContextStatusDto {
  /** `ok`. */
  status: string;
}
