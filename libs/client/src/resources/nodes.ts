import type { HttpTransport } from '../http';
import type { ListQuery, ListResponse, Node, NodeInstance } from '../types';

export class NodesClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Node>> {
    return this.http.call('nodesList', { query });
  }
}

export class NodeInstancesClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<NodeInstance>> {
    return this.http.call('nodeInstancesList', { query });
  }

  get(id: string): Promise<NodeInstance> {
    return this.http.call('nodeInstancesGet', { params: { id } });
  }
}
