import { Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
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
}
