import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';

/** PUT /users. */
export class CreateUserDto {
  @IsString()
  username: string;

  @IsString()
  password: string;

  /** System role: `default` (the default) or `sys_admin`. */
  @IsOptional()
  @IsString()
  role?: string;

  /** `password` is already a bcrypt hash. */
  @IsOptional()
  @IsBoolean()
  is_prehashed?: boolean;

  @IsOptional()
  @IsString()
  created_at?: string;

  @IsOptional()
  @IsString()
  first_login_at?: string;

  @IsOptional()
  @IsString()
  last_login_at?: string;
}

/** POST /users/{name}: one setting at a time. */
export class UpdateUserDto {
  @IsOptional()
  @IsString()
  password?: string;

  @IsOptional()
  @IsString()
  role?: string;

  @IsOptional()
  @IsBoolean()
  show_getting_started?: boolean;
}

/** POST /users/active/{name}. */
export class SetUserActiveDto {
  @IsIn(['activate', 'deactivate'])
  action: 'activate' | 'deactivate';
}
