import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiHeader, ApiSecurity } from '@nestjs/swagger';

export type AuthMethod = 'basic' | 'token' | 'execution_token';

/** Who is calling and in which tenant, as the auth guard established it for this request. */
export interface AuthContext {
  method: AuthMethod;
  user: { id: number; username: string; systemRole: string };
  /** The tenant of the `Tenant` header (or the execution's), with the caller's role there. */
  tenant?: { id: number; name: string; role: string };
  /** Set for execution tokens: the execution whose workflow is calling back. */
  executionId?: string;
  /**
   * Every role that counts for this request: system roles (own and through groups) and the roles
   * in `tenant` (direct and through groups). Permission checks match against these.
   */
  roles?: readonly string[];
}

/** The request property the guard fills. */
export const AUTH_CONTEXT_KEY = 'nestifyAuth';

interface RequestWithAuth {
  [AUTH_CONTEXT_KEY]?: AuthContext;
}

/** `@Auth() auth: AuthContext` in a handler: the caller, never undefined behind the guard. */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<RequestWithAuth>()[AUTH_CONTEXT_KEY];
  if (!auth) throw new Error('@Auth() used on a route the auth guard does not protect');
  return auth;
});

export const PUBLIC_ROUTE = 'nestifyPublicRoute';
/**
 * Marks a route that needs no credentials (`/ok`, `/version`). In OpenAPI its security is the
 * empty requirement `{}`, overriding the document's basic/token requirements.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiSecurity({}));

export const REQUIRED_PERMISSION = 'nestifyPermission';
/** The permission (e.g. `blueprint_list`) a route needs; the guard checks the caller's role. */
export const RequirePermission = (permission: string) =>
  SetMetadata(REQUIRED_PERMISSION, permission);

export const TENANT_SCOPED = 'nestifyTenantScoped';
/**
 * Marks a route (or every route of a controller) whose resources live in a tenant: the `Tenant`
 * header is then required, and OpenAPI documents it.
 */
export const TenantScoped = () =>
  applyDecorators(
    SetMetadata(TENANT_SCOPED, true),
    ApiHeader({
      name: 'Tenant',
      required: true,
      description: 'The tenant to work in (an execution token implies its own)',
    }),
  );
