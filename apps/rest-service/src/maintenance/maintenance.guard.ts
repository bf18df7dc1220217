import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { MaybePromise, thenOrNow } from '@nestify/common';
import { MaintenanceModeStatus } from '@nestify/model';
import { AUTH_CONTEXT_KEY, AuthContext } from '../auth/auth-context';
import { isAllowedFor } from '../auth/permissions';
import { API_PREFIX } from '../common/http/api-version';
import { headerValue } from '../common/http/header-value';
import { maintenanceVerdict } from './maintenance-rules';
import { MaintenanceModeError } from './maintenance-mode.error';
import { MaintenanceService } from './maintenance.service';

const BYPASS_HEADER = 'x-bypass-maintenance';

type ApiRequest = FastifyRequest & { [AUTH_CONTEXT_KEY]?: AuthContext };

/** The matched route below `/api/v3.1/` (e.g. `deployments/:id`); undefined outside the API. */
export function apiRoute(request: Pick<FastifyRequest, 'url' | 'routeOptions'>) {
  const pattern = request.routeOptions.url;
  const path = typeof pattern === 'string' ? pattern : request.url.split('?')[0];
  const prefix = `/${API_PREFIX}`;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  return path.slice(prefix.length + 1);
}

/**
 * Refuses requests while maintenance mode is on (503), except what rest-api.md §2.1 keeps
 * open. An admin passes with `X-BYPASS-MAINTENANCE`. Runs after the auth guard (which is
 * registered first), so the caller is known; unknown routes never reach it (404 as usual).
 */
@Injectable()
export class MaintenanceGuard implements CanActivate {
  constructor(private readonly maintenance: MaintenanceService) {}

  /** Synchronous while the status read lately is still fresh (the usual request). */
  canActivate(context: ExecutionContext): MaybePromise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<ApiRequest>();
    const route = apiRoute(request);
    if (route === undefined) return true;
    const status = this.maintenance.recentStatus() ?? this.maintenance.status();
    return thenOrNow(status, (known) => this.admits(request, route, known));
  }

  private admits(request: ApiRequest, route: string, status: MaintenanceModeStatus): boolean {
    if (status === MaintenanceModeStatus.Deactivated) return true;
    if (this.bypasses(request)) return true;
    const verdict = maintenanceVerdict(status, request.method, route);
    if (verdict !== 'pass') throw new MaintenanceModeError(verdict);
    return true;
  }

  private bypasses(request: ApiRequest): boolean {
    const auth = request[AUTH_CONTEXT_KEY];
    return (
      Boolean(headerValue(request, BYPASS_HEADER)) &&
      !!auth &&
      isAllowedFor(auth, 'maintenance_mode_set')
    );
  }
}
