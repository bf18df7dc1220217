export enum MaintenanceModeStatus {
  Deactivated = 'deactivated',
  Activating = 'activating',
  Activated = 'activated',
}

export const MAINTENANCE_MODE_STATUSES: readonly MaintenanceModeStatus[] =
  Object.values(MaintenanceModeStatus);
