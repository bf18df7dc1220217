import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerValue } from '../common/http/header-value';
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
    const request = http.getRequest<FastifyRequest & { [AUTH_CONTEXT_KEY]?: AuthContext }>();
    const reply = http.getResponse<FastifyReply>();
    const identity = await this.auth.authenticate(
      readCredentials((name) => headerValue(request, name)),
    );
    reply.header('X-Cloudify-Audit-Auth-Method', AUDIT_METHOD[identity.method]);
    reply.header('X-Cloudify-Audit-Username', identity.user.username);

    const auth = await this.auth.authorize(identity, {
      tenantName: headerValue(request, 'tenant') || undefined,
      tenantScoped: this.reflector.getAllAndOverride<boolean>(TENANT_SCOPED, targets) ?? false,
      permission: this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets),
    });
    if (auth.tenant) reply.header('X-Cloudify-Audit-Tenant', auth.tenant.name);
    request[AUTH_CONTEXT_KEY] = auth;
    return true;
  }
}
