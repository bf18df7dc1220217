import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { EventNotificationsService } from './stream/event-notifications.service';
import { EventsStreamService } from './stream/events-stream.service';

/** GET, POST and DELETE /events, and their live stream (the bridge writes them; issue 7). */
@Module({
  controllers: [EventsController],
  providers: [EventsService, EventsRepository, EventsStreamService, EventNotificationsService],
})
export class EventsModule {}
