import type { HttpTransport } from '../http';
import type { Blueprint, BlueprintUpload, ListQuery, ListResponse } from '../types';

export class BlueprintsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Blueprint>> {
    return this.http.call('blueprintsList', { query });
  }

  get(id: string): Promise<Blueprint> {
    return this.http.call('blueprintsGet', { params: { id } });
  }

  /** Uploads an archive and waits for the manager to parse it (Cloudify's synchronous upload). */
  upload(id: string, upload: BlueprintUpload): Promise<Blueprint> {
    const form = new FormData();
    const params = {
      visibility: upload.visibility ?? 'tenant',
      async_upload: false,
      application_file_name: encodeURIComponent(upload.applicationFileName ?? 'blueprint.yaml'),
      ...(upload.labels ? { labels: upload.labels } : {}),
    };
    form.append('params', JSON.stringify(params));
    form.append('blueprint_archive', new Blob([upload.archive]), upload.archiveName);
    return this.http.call('blueprintsUpload', { params: { id }, body: form });
  }

  delete(id: string, options: { force?: boolean } = {}): Promise<void> {
    return this.http.call('blueprintsDelete', {
      params: { id },
      query: { force: options.force ?? false },
    });
  }
}
