import {
  Controller,
  Get,
  HttpCode,
  INestApplication,
  Module,
  Post,
  ValidationPipe,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { NestifyConfig } from '@nestify/config';
import {
  Auth,
  AuthContext,
  RequirePermission,
  TenantScoped,
} from '../../apps/rest-service/src/auth/auth-context';
import { HttpErrorFilter } from '../../apps/rest-service/src/common/filters/http-error.filter';
import {
  API_PREFIX,
  apiVersionMiddleware,
} from '../../apps/rest-service/src/common/middleware/api-version.middleware';
import { RestServiceModule } from '../../apps/rest-service/src/rest-service.module';

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

@Module({ controllers: [AuthProbeController] })
class AuthProbeModule {}

/**
 * The REST service as createRestService builds it (same middleware, prefix, pipe and filter),
 * plus the probe routes above, so the guard can be seen on a tenant-scoped route.
 */
export async function createRestServiceWithProbe(config: NestifyConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [RestServiceModule.forRoot(config), AuthProbeModule],
  }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.use(apiVersionMiddleware);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
  app.useGlobalFilters(new HttpErrorFilter());
  await app.init();
  return app;
}
