import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import {
  AUTH_CONTEXT_KEY,
  AuthContext,
  AuthMethod,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  TENANT_SCOPED,
} from './auth-context';
import { AuthService } from './auth.service';
import { readCredentials } from './credentials';

/** How Cloudify names each method in `X-Cloudify-Audit-Auth-Method`. */
const AUDIT_METHOD: Record<AuthMethod, string> = {
  basic: 'http_basic',
  token: 'token',
  execution_token: 'execution_token',
};

/**
 * The global guard of the REST service: every HTTP route needs credentials unless `@Public()`.
 * It authenticates, resolves the tenant, checks `@RequirePermission`, stores the AuthContext on
 * the request and adds Cloudify's audit headers to the response. Message handlers pass through.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<Request & { [AUTH_CONTEXT_KEY]?: AuthContext }>();
    const response = http.getResponse<Response>();
    const identity = await this.auth.authenticate(readCredentials((name) => request.header(name)));
    response.setHeader('X-Cloudify-Audit-Auth-Method', AUDIT_METHOD[identity.method]);
    response.setHeader('X-Cloudify-Audit-Username', identity.user.username);

    const auth = await this.auth.authorize(identity, {
      tenantName: request.header('tenant') || undefined,
      tenantScoped: this.reflector.getAllAndOverride<boolean>(TENANT_SCOPED, targets) ?? false,
      permission: this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets),
    });
    if (auth.tenant) response.setHeader('X-Cloudify-Audit-Tenant', auth.tenant.name);
    request[AUTH_CONTEXT_KEY] = auth;
    return true;
  }
}
