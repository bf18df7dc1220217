import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { CreateEventsDto } from './dto/create-events.dto';
import { parseEventsQuery } from './events-query';
import { EventsPage, EventsService } from './events.service';
import { EventsStreamService } from './stream/events-stream.service';
import { sseSink } from './stream/sse-sink';

@Controller('events')
@TenantScoped()
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly streams: EventsStreamService,
  ) {}

  @Get()
  @RequirePermission('event_list')
  list(@Query() query: RawQuery, @Auth() auth: AuthContext): Promise<EventsPage> {
    return this.events.list(parseEventsQuery(query), tenantScopeOf(auth));
  }

  /**
   * Server-Sent Events: each event/log of the execution as soon as it is stored, as GET /events
   * items; `id:` is a resume cursor, `event: end` closes the stream once the execution ended.
   */
  @Get('stream')
  @RequirePermission('event_list')
  @ApiOperation({ summary: 'Follow the events and logs of an execution (Server-Sent Events)' })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'execution_id', required: true, type: String })
  @ApiQuery({ name: 'last_event_id', required: false, type: String })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this id' })
  @ApiResponse({
    status: 200,
    description: '`id: <events>-<logs>` + `data: <event item>` per row; `event: end` at the end',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  async stream(
    @Query() query: RawQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Auth() auth: AuthContext,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    const stream = await this.streams.prepare(
      text(query.execution_id),
      lastEventIdHeader ?? text(query.last_event_id),
      tenantScopeOf(auth),
    );
    reply.hijack();
    reply.raw.on('close', () => stream.close());
    this.streams.start(stream, sseSink(reply.raw, reply.getHeaders()));
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
