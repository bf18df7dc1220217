import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ExecutionsModule } from '../executions/executions.module';
import { MaintenanceController } from './maintenance.controller';
import { MaintenanceGuard } from './maintenance.guard';
import { MaintenanceRepository } from './maintenance.repository';
import { MaintenanceService } from './maintenance.service';

/**
 * Maintenance mode: its routes, and a global guard that refuses requests while it is on. The
 * guard is registered here (after AuthModule's guard, as the app imports AuthModule first).
 */
@Module({
  imports: [ExecutionsModule],
  controllers: [MaintenanceController],
  providers: [
    MaintenanceRepository,
    MaintenanceService,
    { provide: APP_GUARD, useClass: MaintenanceGuard },
  ],
  exports: [MaintenanceService],
})
export class MaintenanceModule {}
