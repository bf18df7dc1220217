import { Body, Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { JsonObject } from '@nestify/model';
import { RequirePermission } from '../auth/auth-context';
import { parseBoolean } from '../common/list/list-query';
import { ApiErrorResponse } from '../openapi/api-error-response.decorator';
import {
  ProviderContextBodyDto,
  ProviderContextDto,
  ProviderContextStatusDto,
} from './dto/provider-context.dto';
import { ProviderContextService } from './provider-context.service';

@Controller('provider/context')
export class ProviderContextController {
  constructor(private readonly providerContext: ProviderContextService) {}

  @Get()
  @RequirePermission('provider_context_get')
  get(): Promise<ProviderContextDto> {
    return this.providerContext.get();
  }

  /** 201 when created; with `update=true` replaces the current one (200). */
  @Post()
  @RequirePermission('provider_context_create')
  @ApiQuery({ name: 'update', required: false, schema: { type: 'boolean' } })
  @ApiResponse({ status: 201, type: ProviderContextStatusDto })
  @ApiErrorResponse(409, 'A provider context exists and `update` was not set')
  async post(
    @Body() body: ProviderContextBodyDto,
    @Query('update') updateParam: unknown,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<ProviderContextStatusDto> {
    const update = parseBoolean(updateParam, 'update');
    await this.providerContext.save(body.name, body.context as JsonObject, update);
    res.status(update ? 200 : 201);
    return { status: 'ok' };
  }
}
