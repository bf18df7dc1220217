import { ManagerError, ManagerUnreachableError, networkReason } from './errors';
import { RouteName, ROUTES, routePath } from './routes';
import type { ListQuery } from './types';

/** How the client proves who it is: a username and password, or an API token. */
export type Credentials =
  { username: string; password: string } | { token: string } | Record<string, never>;

export interface ClientOptions {
  /** The manager, e.g. `http://127.0.0.1:8100` (the `/api/v3.1` prefix is added). */
  url: string;
  credentials?: Credentials;
  /** The `Tenant` header; `default_tenant` unless told. */
  tenant?: string;
  /** Sees every request and its answer (the CLI's `--verbose`). */
  onExchange?: (exchange: HttpExchange) => void;
}

export interface HttpExchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  status?: number;
  responseBody?: string;
  ms: number;
}

export interface RequestOptions {
  params?: Record<string, string>;
  query?: ListQuery;
  /** A JSON body. */
  json?: unknown;
  /** A body sent as is (multipart form, raw archive). */
  body?: FormData | Uint8Array;
  headers?: Record<string, string>;
}

/** One HTTP call per route of ROUTES, with auth, tenant, and Cloudify's error body turned into ManagerError. */
export class HttpTransport {
  readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = `${options.url.replace(/\/+$/, '')}/api/v3.1`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = {
      Tenant: this.options.tenant ?? 'default_tenant',
      ...extra,
    };
    const credentials = this.options.credentials ?? {};
    if ('token' in credentials) headers['Authentication-Token'] = credentials.token;
    else if ('username' in credentials) {
      const pair = `${credentials.username}:${credentials.password}`;
      headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    return headers;
  }

  url(route: RouteName, options: RequestOptions = {}): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
    }
    const query = search.toString();
    return `${this.baseUrl}${routePath(route, options.params)}${query ? `?${query}` : ''}`;
  }

  /** Sends the request; answers the response (any status) or throws ManagerUnreachableError. */
  async send(route: RouteName, options: RequestOptions = {}): Promise<Response> {
    const method = ROUTES[route][0];
    const url = this.url(route, options);
    const headers = this.headers(options.headers);
    let body: RequestInit['body'];
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) body = options.body;
    const started = Date.now();
    try {
      return await fetch(url, { method, headers, body });
    } catch (error) {
      this.report({ method, url, headers, options, started });
      throw new ManagerUnreachableError(this.options.url, networkReason(error));
    }
  }

  /** Sends the request and answers its JSON body (undefined for 204), or throws ManagerError. */
  async call<T>(route: RouteName, options: RequestOptions = {}): Promise<T> {
    const method = ROUTES[route][0];
    const started = Date.now();
    const response = await this.send(route, options);
    const text = await response.text();
    this.report({
      method,
      url: this.url(route, options),
      headers: this.headers(options.headers),
      options,
      started,
      status: response.status,
      text,
    });
    if (!response.ok) throw errorOf(response.status, text);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  private report(exchange: {
    method: string;
    url: string;
    headers: Record<string, string>;
    options: RequestOptions;
    started: number;
    status?: number;
    text?: string;
  }): void {
    if (!this.options.onExchange) return;
    const { options } = exchange;
    this.options.onExchange({
      method: exchange.method,
      url: exchange.url,
      requestHeaders: exchange.headers,
      requestBody:
        options.json !== undefined
          ? JSON.stringify(options.json)
          : options.body !== undefined
            ? '<binary body>'
            : undefined,
      status: exchange.status,
      responseBody: exchange.text,
      ms: Date.now() - exchange.started,
    });
  }
}

/** Cloudify's `{message, error_code}` body, or the status line when the body is something else. */
export function errorOf(status: number, text: string): ManagerError {
  try {
    const body = JSON.parse(text) as {
      message?: unknown;
      error_code?: unknown;
      server_traceback?: unknown;
    };
    if (typeof body.message === 'string') {
      return new ManagerError(
        body.message,
        typeof body.error_code === 'string' ? body.error_code : `http_${status}`,
        status,
        typeof body.server_traceback === 'string' ? body.server_traceback : null,
      );
    }
  } catch {
    // not JSON: fall through
  }
  const excerpt = text.trim().slice(0, 200);
  return new ManagerError(excerpt || `HTTP ${status}`, `http_${status}`, status);
}
