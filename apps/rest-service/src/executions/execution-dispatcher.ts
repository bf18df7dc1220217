import { Inject, Injectable, Logger } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { EXCHANGES, MESSAGE_BUS, ROUTING_KEYS } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { ExecutionCancelMessage, ExecutionStartMessage } from './execution-message';

/**
 * Hands executions to the workflow engine over RabbitMQ (`cloudify.management`, routing key
 * `workflow`), with publisher confirms. The REST service never runs workflows itself.
 */
@Injectable()
export class ExecutionDispatcher {
  private readonly logger = new Logger(ExecutionDispatcher.name);

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  /** Port workflows call back on (`rest_port`). */
  get restPort(): number {
    return this.config.port;
  }

  async start(message: ExecutionStartMessage): Promise<void> {
    await this.bus.publish(EXCHANGES.management, ROUTING_KEYS.workflow, message, {
      messageId: message.id,
    });
    this.logger.log({ executionId: message.id }, 'execution dispatched');
  }

  async cancel(message: ExecutionCancelMessage): Promise<void> {
    await this.bus.publish(EXCHANGES.management, ROUTING_KEYS.workflow, message);
    this.logger.log({ executionId: message.execution_id, action: message.action }, 'cancel sent');
  }
}
