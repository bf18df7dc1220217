import type { HttpTransport } from '../http';
import type { ListQuery, ListResponse, Plugin, Visibility } from '../types';

export class PluginsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Plugin>> {
    return this.http.call('pluginsList', { query });
  }

  /** Uploads a plugin package (zip with plugin.yaml, or an npm tarball) as the raw body. */
  upload(archive: Uint8Array, options: { visibility?: Visibility; title?: string } = {}) {
    return this.http.call<Plugin>('pluginsUpload', {
      query: { visibility: options.visibility ?? 'tenant', title: options.title },
      body: archive,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
  }

  delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    return this.http.call('pluginsDelete', {
      params: { id },
      query: { force: options.force ?? false },
    });
  }
}
