import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { CreateUserDto, SetUserActiveDto, UpdateUserDto } from './dto/user-body.dto';
import { USER_FIELDS, UserResponseDto } from './dto/user-response.dto';
import { UsersService } from './users.service';

const LIST_SPEC = { fields: USER_FIELDS, searchField: 'username' };

/** `/users`: user management, sys_admin's (a user may change its own password). */
@Controller('users')
export class UsersAdminController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission('user_list')
  list(@Query() query: RawQuery): Promise<ListEnvelope<Partial<UserResponseDto>>> {
    return this.users.list(parseListQuery(query, LIST_SPEC));
  }

  @Put()
  @HttpCode(201)
  @RequirePermission('user_create')
  create(@Body() body: CreateUserDto): Promise<UserResponseDto> {
    return this.users.create(body);
  }

  @Post('active/:name')
  @HttpCode(200)
  @RequirePermission('user_set_activated')
  setActive(@Param('name') name: string, @Body() body: SetUserActiveDto): Promise<UserResponseDto> {
    return this.users.setActive(name, body.action === 'activate');
  }

  @Post('unlock/:name')
  @HttpCode(200)
  @RequirePermission('user_unlock')
  unlock(@Param('name') name: string): Promise<UserResponseDto> {
    return this.users.unlock(name);
  }

  @Get(':name')
  @RequirePermission('user_get')
  get(@Param('name') name: string, @Query('_get_data') getData?: string): Promise<UserResponseDto> {
    return this.users.get(name, parseBoolean(getData, '_get_data'));
  }

  /** Permission depends on the body: see UsersService.update. */
  @Post(':name')
  @HttpCode(200)
  update(
    @Param('name') name: string,
    @Body() body: UpdateUserDto,
    @Auth() auth: AuthContext,
  ): Promise<UserResponseDto> {
    return this.users.update(name, body, auth);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequirePermission('user_delete')
  async delete(@Param('name') name: string): Promise<void> {
    await this.users.delete(name);
  }
}
