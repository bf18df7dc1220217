import { NestifyError } from '@nestify/common';
import { MaintenanceVerdict } from './maintenance-rules';

/** 503 while maintenance mode refuses a request (`maintenance_mode_active` or `entering_…`). */
export class MaintenanceModeError extends NestifyError {
  constructor(code: Exclude<MaintenanceVerdict, 'pass'>) {
    super(
      'Your request was rejected since Cloudify manager is currently in maintenance mode',
      code,
    );
  }
}
