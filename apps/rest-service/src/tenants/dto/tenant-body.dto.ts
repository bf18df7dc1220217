import { IsOptional, IsString } from 'class-validator';

/** POST /tenants/{name}. */
export class CreateTenantDto {
  @IsOptional()
  @IsString()
  rabbitmq_password?: string;
}

/** PUT/PATCH/DELETE /tenants/users. */
export class TenantUserDto {
  @IsString()
  tenant_name: string;

  @IsString()
  username: string;

  /** A tenant role; PUT defaults to `user`, PATCH requires it, DELETE ignores it. */
  @IsOptional()
  @IsString()
  role?: string;
}

/** PUT/PATCH/DELETE /tenants/user-groups. */
export class TenantGroupDto {
  @IsString()
  tenant_name: string;

  @IsString()
  group_name: string;

  @IsOptional()
  @IsString()
  role?: string;
}
