import { BaseRpcContext } from '@nestjs/microservices';
import { IncomingMessage } from '../bus/message-bus';

/** What a handler can learn about the delivery it serves: `@Ctx() ctx: NestifyContext`. */
export class NestifyContext extends BaseRpcContext<[IncomingMessage]> {
  constructor(message: IncomingMessage) {
    super([message]);
  }

  getMessage(): IncomingMessage {
    return this.args[0];
  }

  /** The queue the message came from, which is also the handler's pattern. */
  getPattern(): string {
    return this.args[0].queue;
  }
}
