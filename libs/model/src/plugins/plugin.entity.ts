import { Column, Entity, Index, OneToMany, Unique } from 'typeorm';
import type { Relation } from 'typeorm';
import { JsonObject } from '../common/json';
import { TenantResourceBase } from '../common/resource.base';
import type { PluginState } from './plugin-state.entity';

/** An uploaded plugin (wagon) and where it is installed. */
@Entity('plugins')
@Unique(['id', 'tenantId'])
@Unique([
  'packageName',
  'packageVersion',
  'tenantId',
  'distribution',
  'distributionRelease',
  'distributionVersion',
])
export class Plugin extends TenantResourceBase {
  @Index()
  @Column({ name: 'archive_name', type: 'text' })
  archiveName: string;

  @Index()
  @Column({ name: 'package_name', type: 'text' })
  packageName: string;

  @Column({ name: 'package_version', type: 'text', nullable: true })
  packageVersion: string | null;

  @Column({ name: 'package_source', type: 'text', nullable: true })
  packageSource: string | null;

  @Column({ name: 'supported_platform', type: 'jsonb', nullable: true })
  supportedPlatform: unknown;

  @Column({ name: 'supported_py_versions', type: 'jsonb', nullable: true })
  supportedPyVersions: string[] | null;

  @Column({ type: 'text', nullable: true })
  distribution: string | null;

  @Column({ name: 'distribution_version', type: 'text', nullable: true })
  distributionVersion: string | null;

  @Column({ name: 'distribution_release', type: 'text', nullable: true })
  distributionRelease: string | null;

  @Column({ type: 'jsonb' })
  wheels: string[];

  @Column({ name: 'excluded_wheels', type: 'jsonb', nullable: true })
  excludedWheels: string[] | null;

  @Index()
  @Column({ name: 'uploaded_at', type: 'timestamptz', default: () => 'now()' })
  uploadedAt: Date;

  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ name: 'blueprint_labels', type: 'jsonb', nullable: true })
  blueprintLabels: JsonObject | null;

  @Column({ type: 'jsonb', nullable: true })
  labels: JsonObject | null;

  @Column({ name: 'resource_tags', type: 'jsonb', nullable: true })
  resourceTags: JsonObject | null;

  @OneToMany('PluginState', 'plugin')
  installationState?: Relation<PluginState>[];
}
