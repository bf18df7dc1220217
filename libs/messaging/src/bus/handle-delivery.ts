import { LoggerLike } from '@nestify/common';
import { dispositionOf } from './disposition';
import { IncomingMessage, MessageHandler } from './message-bus';
import { decodeBody, DEAD_LETTER_HEADERS } from './message-codec';

/** How a bus settles one delivery with its broker. */
export interface DeliverySettlement {
  ack(): void;
  requeue(): void;
  /**
   * Moves the message to the dead-letter queue with the reason in its headers, then settles it.
   * Undefined for a queue without a dead-letter route (the dead-letter queue itself): a message
   * rejected there is logged and dropped, never sent round again.
   */
  deadLetter?(headers: Record<string, string>): Promise<void>;
}

export interface DecodeLimits {
  maxBytes: number;
  raw?: boolean;
}

export type DeliveryMeta = Omit<IncomingMessage, 'body' | 'size'>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The consumer contract both buses share: decode (dead-letter what is not JSON or too large),
 * run the handler, ack on success, and otherwise requeue or dead-letter as `dispositionOf`
 * decides. Never throws: one bad message must not stop a consumer.
 */
export async function handleDelivery(
  raw: Buffer,
  meta: DeliveryMeta,
  handler: MessageHandler,
  limits: DecodeLimits,
  settle: DeliverySettlement,
  logger: LoggerLike,
): Promise<void> {
  const deadLetter = async (reason: string, detail: string) => {
    if (!settle.deadLetter) {
      logger.error(`dropping a message from ${meta.queue}: ${reason}: ${detail}`);
      return settle.ack();
    }
    logger.warn(`dead-lettering a message from ${meta.queue}: ${reason}: ${detail}`);
    return settle.deadLetter({
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.detail]: detail.slice(0, 1000),
      [DEAD_LETTER_HEADERS.queue]: meta.queue,
      [DEAD_LETTER_HEADERS.exchange]: meta.exchange,
      [DEAD_LETTER_HEADERS.routingKey]: meta.routingKey,
    });
  };
  try {
    const decoded = decodeBody(raw, limits.maxBytes, limits.raw);
    if (!decoded.ok) return await deadLetter(decoded.reason, decoded.detail);
    try {
      await handler({ ...meta, body: decoded.body, size: raw.length });
      settle.ack();
    } catch (error) {
      const disposition = dispositionOf(error, meta.redelivered);
      if (disposition.action === 'dead-letter') {
        return await deadLetter(disposition.reason, disposition.detail);
      }
      if (disposition.action === 'requeue') {
        if (disposition.delayMs > 0) await sleep(disposition.delayMs);
        settle.requeue();
      }
    }
  } catch (error) {
    // Settling itself failed (broker connection lost): the broker redelivers the message.
    logger.warn(`could not settle a message from ${meta.queue}: ${(error as Error).message}`);
  }
}
