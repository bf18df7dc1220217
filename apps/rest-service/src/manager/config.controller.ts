import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { SYS_ADMIN_ROLE, BOOTSTRAP_ADMIN_ID } from '@nestify/model';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { ConfigItemDto, ConfigResponseDto } from './dto/config-item.dto';
import { ManagerConfigService } from './manager-config.service';

const isAdmin = (auth: AuthContext) =>
  auth.user.id === BOOTSTRAP_ADMIN_ID || auth.user.systemRole === SYS_ADMIN_ROLE;

@Controller('config')
export class ConfigController {
  constructor(private readonly config: ManagerConfigService) {}

  @Get()
  @RequirePermission('manager_config_get')
  @ApiQuery({ name: 'scope', required: false, description: 'e.g. `rest`, `workflow`' })
  list(
    @Query('scope') scope: string | undefined,
    @Auth() auth: AuthContext,
  ): Promise<ConfigResponseDto> {
    return this.config.list(scope || undefined, isAdmin(auth));
  }

  /** `name`, or `scope.name` when the name exists in several scopes. */
  @Get(':name')
  @RequirePermission('manager_config_get')
  get(@Param('name') name: string, @Auth() auth: AuthContext): Promise<ConfigItemDto> {
    return this.config.get(name, isAdmin(auth));
  }
}
