import { Visibility } from '@nestify/common';
import { SnapshotStatus } from '@nestify/model';

/** A snapshot as Cloudify returns it. */
export class SnapshotResponseDto {
  id: string;
  created_at: string | null;
  /** `creating`, `created`, `failed` or `uploaded`. */
  status: SnapshotStatus | null;
  error: string | null;
  visibility: Visibility;
  tenant_name: string;
  created_by: string;
  resource_availability: Visibility;
  private_resource: boolean;
}

export const SNAPSHOT_FIELDS = [
  'id',
  'created_at',
  'status',
  'error',
  'visibility',
  'tenant_name',
  'created_by',
  'resource_availability',
  'private_resource',
] as const;

/** GET /snapshot-status. */
export class SnapshotStatusResponseDto {
  /** `running` while a snapshot is created or restored. */
  status: 'running' | 'not-running';
}
