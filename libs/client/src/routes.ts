/**
 * Every REST route the client calls, as method + path template under `/api/v3.1`. A test checks
 * each one against the manager's OpenAPI document, so the client cannot drift from the server.
 */
export const ROUTES = {
  status: ['GET', '/status'],
  version: ['GET', '/version'],
  blueprintsList: ['GET', '/blueprints'],
  blueprintsGet: ['GET', '/blueprints/{id}'],
  blueprintsUpload: ['PUT', '/blueprints/{id}'],
  blueprintsDelete: ['DELETE', '/blueprints/{id}'],
  deploymentsList: ['GET', '/deployments'],
  deploymentsGet: ['GET', '/deployments/{id}'],
  deploymentsCreate: ['PUT', '/deployments/{id}'],
  deploymentsDelete: ['DELETE', '/deployments/{id}'],
  deploymentsOutputs: ['GET', '/deployments/{id}/outputs'],
  deploymentsCapabilities: ['GET', '/deployments/{id}/capabilities'],
  executionsList: ['GET', '/executions'],
  executionsGet: ['GET', '/executions/{id}'],
  executionsStart: ['POST', '/executions'],
  executionsAction: ['POST', '/executions/{id}'],
  eventsList: ['GET', '/events'],
  eventsStream: ['GET', '/events/stream'],
  nodesList: ['GET', '/nodes'],
  nodeInstancesList: ['GET', '/node-instances'],
  nodeInstancesGet: ['GET', '/node-instances/{id}'],
  secretsList: ['GET', '/secrets'],
  secretsGet: ['GET', '/secrets/{key}'],
  secretsCreate: ['PUT', '/secrets/{key}'],
  secretsUpdate: ['PATCH', '/secrets/{key}'],
  secretsDelete: ['DELETE', '/secrets/{key}'],
  pluginsList: ['GET', '/plugins'],
  pluginsUpload: ['POST', '/plugins'],
  pluginsDelete: ['DELETE', '/plugins/{id}'],
  tenantsList: ['GET', '/tenants'],
  tenantsGet: ['GET', '/tenants/{name}'],
  usersList: ['GET', '/users'],
  usersGet: ['GET', '/users/{name}'],
  currentUser: ['GET', '/user'],
  tokensList: ['GET', '/tokens'],
  tokensCreate: ['POST', '/tokens'],
  tokensDelete: ['DELETE', '/tokens/{id}'],
  sitesList: ['GET', '/sites'],
  sitesGet: ['GET', '/sites/{name}'],
  sitesCreate: ['PUT', '/sites/{name}'],
  sitesDelete: ['DELETE', '/sites/{name}'],
  snapshotsList: ['GET', '/snapshots'],
  snapshotsGet: ['GET', '/snapshots/{id}'],
  snapshotsCreate: ['PUT', '/snapshots/{id}'],
  snapshotsDelete: ['DELETE', '/snapshots/{id}'],
  snapshotsDownload: ['GET', '/snapshots/{id}/archive'],
  snapshotsUpload: ['PUT', '/snapshots/{id}/archive'],
  snapshotsRestore: ['POST', '/snapshots/{id}/restore'],
  agentsList: ['GET', '/agents'],
} as const satisfies Record<string, readonly [HttpMethod, string]>;

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
export type RouteName = keyof typeof ROUTES;

/** The path of a route with its `{param}`s filled in (URL-encoded). */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return ROUTES[name][1].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`route ${name} needs ${key}`);
    return encodeURIComponent(value);
  });
}
