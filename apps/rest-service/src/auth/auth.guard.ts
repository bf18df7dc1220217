import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MaybePromise, thenOrNow } from '@nestify/common';
import { headerValue } from '../common/http/header-value';
import {
  AUTH_CONTEXT_KEY,
  AuthContext,
  AuthMethod,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  TENANT_SCOPED,
} from './auth-context';
import { AuthService, Identity } from './auth.service';
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
type AuthenticatedRequest = FastifyRequest & { [AUTH_CONTEXT_KEY]?: AuthContext };

/** A route's auth metadata (handler over class), as its decorators set it. */
interface RouteAuth {
  isPublic: boolean;
  tenantScoped: boolean;
  permission?: string;
}

@Injectable()
export class AuthGuard implements CanActivate {
  /**
   * Route metadata never changes after start-up: read once per controller class and handler
   * (a handler inherited by two controllers may get different class metadata), not per request.
   */
  private readonly routes = new WeakMap<object, Map<object, RouteAuth>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  private routeOf(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new Map()));
    let route = byHandler.get(handler);
    if (!route) {
      const targets = [handler, controller];
      route = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        tenantScoped: this.reflector.getAllAndOverride<boolean>(TENANT_SCOPED, targets) ?? false,
        permission: this.reflector.getAllAndOverride<string>(REQUIRED_PERMISSION, targets),
      };
      byHandler.set(handler, route);
    }
    return route;
  }

  /** Synchronous when the caller's identity and grant are remembered (the usual request). */
  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = this.routeOf(context);
    if (route.isPublic) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const identity = this.auth.authenticate(readCredentials((name) => headerValue(request, name)));
    return thenOrNow(identity, (known) => this.admit(request, reply, route, known));
  }

  /** Audit headers, then the tenant and permission checks; stores the AuthContext. */
  private admit(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    route: RouteAuth,
    identity: Identity,
  ): MaybePromise<boolean> {
    reply.header('X-Cloudify-Audit-Auth-Method', AUDIT_METHOD[identity.method]);
    reply.header('X-Cloudify-Audit-Username', identity.user.username);
    const auth = this.auth.authorize(identity, {
      tenantName: headerValue(request, 'tenant') || undefined,
      tenantScoped: route.tenantScoped,
      permission: route.permission,
    });
    return thenOrNow(auth, (context) => {
      if (context.tenant) reply.header('X-Cloudify-Audit-Tenant', context.tenant.name);
      request[AUTH_CONTEXT_KEY] = context;
      return true;
    });
  }
}
