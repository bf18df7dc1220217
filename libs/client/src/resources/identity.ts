import type { HttpTransport } from '../http';
import type { ListQuery, ListResponse, Tenant, Token, User } from '../types';

export class TenantsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Tenant>> {
    return this.http.call('tenantsList', { query });
  }

  get(name: string): Promise<Tenant> {
    return this.http.call('tenantsGet', { params: { name } });
  }
}

export class UsersClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<User>> {
    return this.http.call('usersList', { query });
  }

  get(name: string): Promise<User> {
    return this.http.call('usersGet', { params: { name } });
  }

  /** The user the credentials belong to. */
  current(): Promise<User> {
    return this.http.call('currentUser');
  }
}

export class TokensClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Token>> {
    return this.http.call('tokensList', { query });
  }

  /** A new API token; its `value` (`ctok-…`) is shown only now. */
  create(body: { description?: string; expiration_date?: string } = {}): Promise<Token> {
    return this.http.call('tokensCreate', { json: body });
  }

  delete(id: string): Promise<void> {
    return this.http.call('tokensDelete', { params: { id } });
  }
}
