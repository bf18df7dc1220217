import { Inject, Injectable } from '@nestjs/common';
import { BusHealth, MESSAGE_BUS, MessageBus } from './bus/message-bus';

/** Answers "can we reach the broker now?" for GET /status. */
@Injectable()
export class MessagingHealthService {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  ping(): Promise<BusHealth> {
    return this.bus.ping();
  }
}
