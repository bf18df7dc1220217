import { Controller, Get, HttpCode, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiInternalServerErrorResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, RequirePermission } from '../auth/auth-context';
import { ServiceReportDto, StatusResponseDto } from './dto/status-response.dto';
import { StatusService } from './status.service';

@Controller()
export class HealthController {
  constructor(private readonly status: StatusService) {}

  /** Unauthenticated liveness probe: `"OK"` while the REST service can reach its database. */
  @Get('ok')
  @Public()
  @ApiOkResponse({ schema: { type: 'string', example: 'OK' } }) // written through @Res()
  @ApiInternalServerErrorResponse({ schema: { type: 'string', example: 'FAIL' } })
  async ok(@Res() res: FastifyReply): Promise<void> {
    const up = await this.status.isDatabaseUp();
    // A JSON string, as Cloudify answers (Fastify would send a bare string as text/plain).
    res
      .status(up ? 200 : 500)
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify(up ? 'OK' : 'FAIL'));
  }

  /** Manager status as `cfy status` and `cfy profiles use` read it. */
  @Get('status')
  @ApiExtraModels(ServiceReportDto)
  @RequirePermission('status_get')
  @HttpCode(200)
  async report(@Query('summary') summary?: string): Promise<StatusResponseDto> {
    const report = await this.status.report();
    return isTrue(summary) ? { status: report.status, services: {} } : report;
  }
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1'].includes(value.toLowerCase());
}
