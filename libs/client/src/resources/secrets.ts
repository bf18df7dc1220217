import type { HttpTransport } from '../http';
import type { CreateSecret, ListQuery, ListResponse, Secret, UpdateSecret } from '../types';

export class SecretsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Secret>> {
    return this.http.call('secretsList', { query });
  }

  get(key: string): Promise<Secret> {
    return this.http.call('secretsGet', { params: { key } });
  }

  create(key: string, body: CreateSecret): Promise<Secret> {
    return this.http.call('secretsCreate', { params: { key }, json: body });
  }

  update(key: string, body: UpdateSecret): Promise<Secret> {
    return this.http.call('secretsUpdate', { params: { key }, json: body });
  }

  delete(key: string): Promise<void> {
    return this.http.call('secretsDelete', { params: { key } });
  }
}
