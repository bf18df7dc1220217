import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { JsonObject } from '../common/json';

/** A manager node (GET /managers); the workflow library reads its addresses. */
@Entity('managers')
export class Manager {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text', unique: true })
  hostname: string;

  @Column({ name: 'private_ip', type: 'text' })
  privateIp: string;

  @Column({ name: 'public_ip', type: 'text' })
  publicIp: string;

  @Column({ type: 'text' })
  version: string;

  @Column({ type: 'text' })
  edition: string;

  @Column({ type: 'text' })
  distribution: string;

  @Column({ name: 'distro_release', type: 'text' })
  distroRelease: string;

  @Column({ name: 'fs_sync_node_id', type: 'text', nullable: true })
  fsSyncNodeId: string | null;

  /** `{default: "<ip>", …}`: the addresses agents may use to reach this manager. */
  @Column({ type: 'jsonb', nullable: true })
  networks: JsonObject | null;

  @Column({ name: 'node_id', type: 'text', nullable: true, unique: true })
  nodeId: string | null;

  @Index()
  @Column({ name: 'last_seen', type: 'timestamptz', default: () => 'now()' })
  lastSeen: Date;

  @Column({ name: 'status_report_frequency', type: 'integer', nullable: true })
  statusReportFrequency: number | null;

  @Column({ name: 'ca_cert_content', type: 'text', nullable: true })
  caCertContent: string | null;
}
