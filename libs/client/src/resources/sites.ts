import type { HttpTransport } from '../http';
import type { Agent, ListQuery, ListResponse, Site, Visibility } from '../types';

export class SitesClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Site>> {
    return this.http.call('sitesList', { query });
  }

  get(name: string): Promise<Site> {
    return this.http.call('sitesGet', { params: { name } });
  }

  create(name: string, body: { location?: string; visibility?: Visibility } = {}) {
    return this.http.call<Site>('sitesCreate', { params: { name }, json: body });
  }

  delete(name: string): Promise<void> {
    return this.http.call('sitesDelete', { params: { name } });
  }
}

export class AgentsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Agent>> {
    return this.http.call('agentsList', { query });
  }
}
