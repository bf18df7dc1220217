import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JsonObject, PROVIDER_CONTEXT_ID } from '@nestify/model';

export interface ProviderContextRow {
  id: string;
  name: string;
  context: JsonObject;
}

export interface ConfigRow {
  name: string;
  value: unknown;
  schema: unknown;
  is_editable: boolean;
  admin_only: boolean;
  updated_at: Date | null;
  scope: string;
  updater_name: string | null;
}

export interface ManagerRow {
  id: number;
  hostname: string;
  private_ip: string;
  public_ip: string;
  version: string;
  edition: string;
  distribution: string;
  distro_release: string;
  fs_sync_node_id: string | null;
  networks: JsonObject | null;
  last_seen: Date;
  ca_cert_content: string | null;
}

/** A config setting to create when missing. */
export interface ConfigDefault {
  name: string;
  scope: string;
  value: unknown;
  schema: unknown;
}

/** What this process reports about itself in the managers table. */
export type ManagerRegistration = Pick<
  ManagerRow,
  | 'hostname'
  | 'private_ip'
  | 'public_ip'
  | 'version'
  | 'edition'
  | 'distribution'
  | 'distro_release'
> & { networks: JsonObject };

/** The management tables of the manager itself: provider context, config, managers, roles. */
@Injectable()
export class ManagerRepository {
  constructor(private readonly dataSource: DataSource) {}

  async providerContext(): Promise<ProviderContextRow | undefined> {
    const rows: ProviderContextRow[] = await this.dataSource.query(
      'SELECT id, name, context FROM provider_context WHERE id = $1',
      [PROVIDER_CONTEXT_ID],
    );
    return rows[0];
  }

  /** Stores the provider context; with `replace` false an existing one is left alone. */
  async saveProviderContext(name: string, context: JsonObject, replace: boolean): Promise<boolean> {
    const onConflict = replace
      ? 'DO UPDATE SET name = EXCLUDED.name, context = EXCLUDED.context'
      : 'DO NOTHING';
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO provider_context (id, name, context) VALUES ($1, $2, $3)
       ON CONFLICT (id) ${onConflict} RETURNING id`,
      [PROVIDER_CONTEXT_ID, name, context],
    );
    return rows.length > 0;
  }

  async config(filter: { scope?: string; name?: string } = {}): Promise<ConfigRow[]> {
    return this.dataSource.query(
      `SELECT c.name, c.value, c.schema, c.is_editable, c.admin_only, c.updated_at, c.scope,
         u.username AS updater_name
       FROM config c LEFT JOIN users u ON u.id = c._updater_id
       WHERE ($1::text IS NULL OR c.scope = $1) AND ($2::text IS NULL OR c.name = $2)
       ORDER BY c.scope, c.name`,
      [filter.scope ?? null, filter.name ?? null],
    );
  }

  async insertMissingConfig(defaults: readonly ConfigDefault[]): Promise<void> {
    if (!defaults.length) return;
    await this.dataSource.query(
      `INSERT INTO config (name, scope, value, schema, is_editable, admin_only)
       SELECT d.name, d.scope, d.value, d.schema, true, false
       FROM jsonb_to_recordset($1::jsonb) AS d(name text, scope text, value jsonb, schema jsonb)
       ON CONFLICT (name, scope) DO NOTHING`,
      [JSON.stringify(defaults)],
    );
  }

  async managers(): Promise<ManagerRow[]> {
    return this.dataSource.query(
      `SELECT id, hostname, private_ip, public_ip, version, edition, distribution, distro_release,
         fs_sync_node_id, networks, last_seen, ca_cert_content
       FROM managers ORDER BY id`,
    );
  }

  /** Creates or refreshes this manager's row (keyed by hostname), marking it seen now. */
  async registerManager(manager: ManagerRegistration): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO managers (hostname, private_ip, public_ip, version, edition, distribution,
         distro_release, networks, last_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (hostname) DO UPDATE SET private_ip = EXCLUDED.private_ip,
         public_ip = EXCLUDED.public_ip, version = EXCLUDED.version, edition = EXCLUDED.edition,
         distribution = EXCLUDED.distribution, distro_release = EXCLUDED.distro_release,
         networks = EXCLUDED.networks, last_seen = now()`,
      [
        manager.hostname,
        manager.private_ip,
        manager.public_ip,
        manager.version,
        manager.edition,
        manager.distribution,
        manager.distro_release,
        manager.networks,
      ],
    );
  }

  async roles(): Promise<{ name: string; type: string; description: string | null }[]> {
    return this.dataSource.query('SELECT name, type, description FROM roles ORDER BY id');
  }
}
