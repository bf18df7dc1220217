import { LoggerLike, SILENT_LOGGER } from '@nestify/common';
import type { MessagingSettings } from '@nestify/config';
import { AmqpMessageBus } from '../amqp/amqp-bus';
import { InProcessMessageBus } from '../in-process/in-process-bus';
import { CORE_TOPOLOGY } from '../topology';
import { MessageBus } from './message-bus';

/**
 * Opens the bus the configuration asks for — RabbitMQ when AMQP_URL is set, otherwise this
 * process's in-process broker — with the core topology declared.
 */
export async function createMessageBus(
  settings: MessagingSettings,
  options: { logger?: LoggerLike; connectionName?: string } = {},
): Promise<MessageBus> {
  const logger = options.logger ?? SILENT_LOGGER;
  const bus = settings.url
    ? await AmqpMessageBus.connect({
        url: settings.url,
        maxBytes: settings.maxMessageBytes,
        logger,
        connectionName: options.connectionName,
      })
    : InProcessMessageBus.open(settings.maxMessageBytes, logger);
  try {
    await bus.declare(CORE_TOPOLOGY);
  } catch (error) {
    await bus.close();
    throw error;
  }
  return bus;
}
