import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, AuthContext, RequirePermission } from '../auth/auth-context';
import { MaintenanceStateDto } from './dto/maintenance-state.dto';
import { MaintenanceChange, MaintenanceService } from './maintenance.service';

function answer({ changed, state }: MaintenanceChange, res: FastifyReply): MaintenanceStateDto {
  if (!changed) res.status(304);
  return state;
}

@Controller('maintenance')
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Get()
  @RequirePermission('maintenance_mode_get')
  get(): Promise<MaintenanceStateDto> {
    return this.maintenance.get();
  }

  /** `activating` while executions still run, else `activated`. */
  @Post('activate')
  @HttpCode(200)
  @RequirePermission('maintenance_mode_set')
  @ApiResponse({ status: 304, description: 'Maintenance mode is already on' })
  async activate(
    @Auth() auth: AuthContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<MaintenanceStateDto> {
    return answer(await this.maintenance.activate(auth.user.id), res);
  }

  @Post('deactivate')
  @HttpCode(200)
  @RequirePermission('maintenance_mode_set')
  @ApiResponse({ status: 304, description: 'Maintenance mode is already off' })
  async deactivate(
    @Auth() auth: AuthContext,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<MaintenanceStateDto> {
    return answer(await this.maintenance.deactivate(auth.user.id), res);
  }
}
