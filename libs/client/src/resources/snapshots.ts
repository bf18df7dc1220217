import { errorOf, type HttpTransport } from '../http';
import type { Execution, ListQuery, ListResponse, Visibility } from '../types';

/** A snapshot: an archive of the manager's database and resources. */
export interface Snapshot {
  id: string;
  created_at: string | null;
  status: 'creating' | 'created' | 'failed' | 'uploaded' | null;
  error: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
}

export class SnapshotsClient {
  constructor(private readonly http: HttpTransport) {}

  list(query: ListQuery = {}): Promise<ListResponse<Snapshot>> {
    return this.http.call('snapshotsList', { query });
  }

  get(id: string): Promise<Snapshot> {
    return this.http.call('snapshotsGet', { params: { id } });
  }

  /** Starts `create_snapshot`; follow the returned execution to its end. */
  create(
    id: string,
    options: { include_logs?: boolean; include_events?: boolean } = {},
  ): Promise<Execution> {
    return this.http.call('snapshotsCreate', { params: { id }, json: options });
  }

  /** Starts `restore_snapshot`; `force` replaces existing blueprints and deployments. */
  restore(id: string, options: { force?: boolean } = {}): Promise<Execution> {
    return this.http.call('snapshotsRestore', { params: { id }, json: options });
  }

  delete(id: string): Promise<void> {
    return this.http.call('snapshotsDelete', { params: { id } });
  }

  /** The archive's bytes. */
  async download(id: string): Promise<Uint8Array> {
    const response = await this.http.send('snapshotsDownload', { params: { id } });
    if (!response.ok) throw errorOf(response.status, await response.text());
    return new Uint8Array(await response.arrayBuffer());
  }

  upload(id: string, archive: Uint8Array): Promise<Snapshot> {
    return this.http.call('snapshotsUpload', {
      params: { id },
      body: archive,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
  }
}
