/** A manager node, as GET /managers lists it. */
export class ManagerResponseDto {
  id: number;
  hostname: string;
  private_ip: string;
  public_ip: string;
  version: string;
  edition: string;
  distribution: string;
  distro_release: string;
  fs_sync_node_id: string | null;
  /** `{default: "<ip>"}`: addresses agents may reach this manager at. */
  networks: Record<string, unknown> | null;
  last_seen: string | null;
  ca_cert_content: string | null;
}

export const MANAGER_FIELDS = [
  'id',
  'hostname',
  'private_ip',
  'public_ip',
  'version',
  'edition',
  'distribution',
  'distro_release',
  'fs_sync_node_id',
  'networks',
  'last_seen',
  'ca_cert_content',
] as const;
