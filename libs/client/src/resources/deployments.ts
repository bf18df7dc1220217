import type { HttpTransport } from '../http';
import type { CreateDeployment, Deployment, ListQuery, ListResponse } from '../types';

export class DeploymentsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Deployment>> {
    return this.http.call('deploymentsList', { query });
  }

  get(id: string): Promise<Deployment> {
    return this.http.call('deploymentsGet', { params: { id } });
  }

  create(id: string, body: CreateDeployment): Promise<Deployment> {
    return this.http.call('deploymentsCreate', { params: { id }, json: body });
  }

  delete(id: string, options: { force?: boolean; deleteLogs?: boolean } = {}): Promise<void> {
    return this.http.call('deploymentsDelete', {
      params: { id },
      query: { force: options.force ?? false, delete_logs: options.deleteLogs ?? false },
    });
  }

  outputs(id: string): Promise<{ deployment_id: string; outputs: Record<string, unknown> }> {
    return this.http.call('deploymentsOutputs', { params: { id } });
  }

  capabilities(
    id: string,
  ): Promise<{ deployment_id: string; capabilities: Record<string, unknown> }> {
    return this.http.call('deploymentsCapabilities', { params: { id } });
  }
}
