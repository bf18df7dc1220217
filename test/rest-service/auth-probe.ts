import { Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import {
  Auth,
  AuthContext,
  RequirePermission,
  TenantScoped,
} from '../../apps/rest-service/src/auth/auth-context';

/** A tenant-scoped route that answers with what the guard established. Test-only. */
@Controller('auth-probe')
@TenantScoped()
class AuthProbeController {
  @Get()
  @RequirePermission('site_list')
  read(@Auth() auth: AuthContext): AuthContext {
    return auth;
  }

  @Post()
  @HttpCode(200)
  @RequirePermission('site_create')
  write(@Auth() auth: AuthContext): AuthContext {
    return auth;
  }
}

/** Served beside the REST service (startRestTestApp's `imports`), so the guard can be seen. */
@Module({ controllers: [AuthProbeController] })
export class AuthProbeModule {}
