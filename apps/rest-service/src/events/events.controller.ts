import { Body, Controller, Delete, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { CreateEventsDto } from './dto/create-events.dto';
import { parseEventsQuery } from './events-query';
import { EventsPage, EventsService } from './events.service';

@Controller('events')
@TenantScoped()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @RequirePermission('event_list')
  list(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<EventsPage> {
    return this.events.list(parseEventsQuery(query), tenantScopeOf(auth));
  }

  @Delete()
  @HttpCode(200)
  @RequirePermission('event_delete')
  delete(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<EventsPage> {
    return this.events.delete(query, tenantScopeOf(auth));
  }

  /** Bulk insert by the workflow engine: 201, or 204 when both lists are empty. */
  @Post()
  @RequirePermission('event_create')
  async create(
    @Body() body: CreateEventsDto,
    @Auth() auth: AuthContext,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<void> {
    const stored = await this.events.create(body, tenantScopeOf(auth), auth.executionId);
    response.status(stored ? 201 : 204);
  }
}
