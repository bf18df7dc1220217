export enum SnapshotStatus {
  Created = 'created',
  Failed = 'failed',
  Creating = 'creating',
  Uploaded = 'uploaded',
}

export const SNAPSHOT_STATUSES: readonly SnapshotStatus[] = Object.values(SnapshotStatus);
