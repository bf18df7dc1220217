import { MaintenanceModeStatus } from '@nestify/model';

/**
 * What maintenance mode lets through (rest-api.md §2.1). A request is described by its method
 * and its route pattern below the API prefix, e.g. `deployments/:id`.
 */

/** Resources (first path segment) that still answer while maintenance mode is activated. */
export const MAINTENANCE_ALLOWED_RESOURCES: ReadonlySet<string> = new Set([
  'brokers',
  'managers',
  'db-nodes',
  'cluster',
  'config',
  'status',
  'version',
  'license',
  'maintenance',
  'cluster-status',
  'file-server-auth',
  'ok',
  'snapshots',
  'snapshot-status',
]);

const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'PUT']);

/** Route shapes (parameters as `:`) whose writes are refused while maintenance is activating. */
const REFUSED_WRITES_WHILE_ACTIVATING: ReadonlySet<string> = new Set([
  'executions',
  'deployments/:',
  'deployment-modifications',
  'snapshots/:',
]);
/** Refused whatever the method while activating. */
const REFUSED_WHILE_ACTIVATING: ReadonlySet<string> = new Set(['snapshots/:/restore']);

export type MaintenanceVerdict = 'pass' | 'maintenance_mode_active' | 'entering_maintenance_mode';

function segments(route: string): string[] {
  return route.split('?')[0].split('/').filter(Boolean);
}

/** `deployments/:deployment_id` → `deployments/:`, so parameter names do not matter. */
export function routeShape(route: string): string {
  return segments(route)
    .map((part) => (part.startsWith(':') ? ':' : part))
    .join('/');
}

export function isAllowedWhileActivated(route: string): boolean {
  const [resource] = segments(route);
  return resource !== undefined && MAINTENANCE_ALLOWED_RESOURCES.has(resource);
}

export function isRefusedWhileActivating(method: string, route: string): boolean {
  const shape = routeShape(route);
  if (REFUSED_WHILE_ACTIVATING.has(shape)) return true;
  return WRITE_METHODS.has(method.toUpperCase()) && REFUSED_WRITES_WHILE_ACTIVATING.has(shape);
}

/** Whether a request may proceed in the given maintenance status, and if not, which error. */
export function maintenanceVerdict(
  status: MaintenanceModeStatus,
  method: string,
  route: string,
): MaintenanceVerdict {
  switch (status) {
    case MaintenanceModeStatus.Activating:
      return isRefusedWhileActivating(method, route) ? 'entering_maintenance_mode' : 'pass';
    case MaintenanceModeStatus.Activated:
      return isAllowedWhileActivated(route) ? 'pass' : 'maintenance_mode_active';
    default:
      return 'pass';
  }
}
