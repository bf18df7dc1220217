import { Controller, Get, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { parseBoolean } from '../common/list/list-query';
import { UserResponseDto } from './dto/user-response.dto';
import { UsersService } from './users.service';

@Controller('user')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** The caller itself; `_get_data=true` expands tenants and groups into maps. */
  @Get()
  @RequirePermission('user_get_self')
  self(@Auth() auth: AuthContext, @Query('_get_data') getData?: string): Promise<UserResponseDto> {
    return this.users.profile(auth.user.id, parseBoolean(getData, '_get_data'));
  }
}
