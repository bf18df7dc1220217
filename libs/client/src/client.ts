import { ClientOptions, HttpTransport } from './http';
import { BlueprintsClient } from './resources/blueprints';
import { DeploymentsClient } from './resources/deployments';
import { EventsClient } from './resources/events';
import { ExecutionsClient } from './resources/executions';
import { TenantsClient, TokensClient, UsersClient } from './resources/identity';
import { NodeInstancesClient, NodesClient } from './resources/nodes';
import { PluginsClient } from './resources/plugins';
import { SecretsClient } from './resources/secrets';
import { AgentsClient, SitesClient } from './resources/sites';
import { SnapshotsClient } from './resources/snapshots';
import type { ManagerStatus, ManagerVersion } from './types';

/**
 * The typed client of a nestify (or Cloudify) manager's REST API:
 * `new NestifyClient({ url, credentials: { username, password }, tenant })`.
 */
export class NestifyClient {
  readonly http: HttpTransport;
  readonly blueprints: BlueprintsClient;
  readonly deployments: DeploymentsClient;
  readonly executions: ExecutionsClient;
  readonly events: EventsClient;
  readonly nodes: NodesClient;
  readonly nodeInstances: NodeInstancesClient;
  readonly secrets: SecretsClient;
  readonly plugins: PluginsClient;
  readonly tenants: TenantsClient;
  readonly users: UsersClient;
  readonly tokens: TokensClient;
  readonly sites: SitesClient;
  readonly agents: AgentsClient;
  readonly snapshots: SnapshotsClient;

  constructor(options: ClientOptions) {
    this.http = new HttpTransport(options);
    this.blueprints = new BlueprintsClient(this.http);
    this.deployments = new DeploymentsClient(this.http);
    this.executions = new ExecutionsClient(this.http);
    this.events = new EventsClient(this.http);
    this.nodes = new NodesClient(this.http);
    this.nodeInstances = new NodeInstancesClient(this.http);
    this.secrets = new SecretsClient(this.http);
    this.plugins = new PluginsClient(this.http);
    this.tenants = new TenantsClient(this.http);
    this.users = new UsersClient(this.http);
    this.tokens = new TokensClient(this.http);
    this.sites = new SitesClient(this.http);
    this.agents = new AgentsClient(this.http);
    this.snapshots = new SnapshotsClient(this.http);
  }

  /** `GET /status`: the manager's services, Active or Inactive. */
  status(): Promise<ManagerStatus> {
    return this.http.call('status');
  }

  version(): Promise<ManagerVersion> {
    return this.http.call('version');
  }
}
