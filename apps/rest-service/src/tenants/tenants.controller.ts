import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseBoolean, parseListQuery, RawQuery } from '../common/list/list-query';
import { CreateTenantDto, TenantGroupDto, TenantUserDto } from './dto/tenant-body.dto';
import { TENANT_FIELDS, TenantResponseDto } from './dto/tenant-response.dto';
import { MembershipRequest, TenantsService } from './tenants.service';

const LIST_SPEC = { fields: TENANT_FIELDS, searchField: 'name' };

const userRequest = (body: TenantUserDto): MembershipRequest => ({
  kind: 'user',
  name: body.username,
  tenantName: body.tenant_name,
  role: body.role,
});
const groupRequest = (body: TenantGroupDto): MembershipRequest => ({
  kind: 'group',
  name: body.group_name,
  tenantName: body.tenant_name,
  role: body.role,
});

/**
 * `/tenants`. The membership routes (`/tenants/users`, `/tenants/user-groups`) are declared
 * before `/tenants/{name}` so those two words never read as tenant names.
 */
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @RequirePermission('tenant_list')
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<TenantResponseDto>>> {
    return this.tenants.list(parseListQuery(query, LIST_SPEC), auth);
  }

  @Put('users')
  @RequirePermission('tenant_add_user')
  addUser(@Body() body: TenantUserDto): Promise<TenantResponseDto> {
    return this.tenants.addMember(userRequest(body));
  }

  @Patch('users')
  @RequirePermission('tenant_update_user')
  updateUser(@Body() body: TenantUserDto): Promise<TenantResponseDto> {
    return this.tenants.updateMember(userRequest(body));
  }

  @Delete('users')
  @HttpCode(204)
  @RequirePermission('tenant_remove_user')
  async removeUser(@Body() body: TenantUserDto): Promise<void> {
    await this.tenants.removeMember(userRequest(body));
  }

  @Put('user-groups')
  @RequirePermission('tenant_add_group')
  addGroup(@Body() body: TenantGroupDto): Promise<TenantResponseDto> {
    return this.tenants.addMember(groupRequest(body));
  }

  @Patch('user-groups')
  @RequirePermission('tenant_update_group')
  updateGroup(@Body() body: TenantGroupDto): Promise<TenantResponseDto> {
    return this.tenants.updateMember(groupRequest(body));
  }

  @Delete('user-groups')
  @HttpCode(204)
  @RequirePermission('tenant_remove_group')
  async removeGroup(@Body() body: TenantGroupDto): Promise<void> {
    await this.tenants.removeMember(groupRequest(body));
  }

  /** `tenant_get` is checked against the caller's roles in the named tenant. */
  @Get(':name')
  get(
    @Param('name') name: string,
    @Auth() auth: AuthContext,
    @Query('_get_data') getData?: string,
  ): Promise<TenantResponseDto> {
    return this.tenants.get(name, auth, parseBoolean(getData, '_get_data'));
  }

  @Post(':name')
  @HttpCode(201)
  @RequirePermission('tenant_create')
  create(@Param('name') name: string, @Body() body: CreateTenantDto): Promise<TenantResponseDto> {
    return this.tenants.create(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @RequirePermission('tenant_delete')
  async delete(@Param('name') name: string): Promise<void> {
    await this.tenants.delete(name);
  }
}
