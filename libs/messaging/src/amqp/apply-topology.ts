import type { Channel } from 'amqplib';
import { EXCHANGES, QueueSpec, Topology } from '../topology';

function queueArguments(spec: QueueSpec): Record<string, unknown> {
  return spec.deadLetter ? { 'x-dead-letter-exchange': EXCHANGES.deadLetter } : {};
}

/** Declares a topology on a channel; asserting what exists already is a no-op for RabbitMQ. */
export async function applyTopology(channel: Channel, topology: Topology): Promise<void> {
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, { durable: exchange.durable });
  }
  for (const queue of topology.queues) {
    await channel.assertQueue(queue.name, {
      durable: queue.durable,
      exclusive: queue.exclusive ?? false,
      autoDelete: queue.autoDelete ?? false,
      arguments: queueArguments(queue),
    });
    for (const binding of queue.bindings) {
      await channel.bindQueue(queue.name, binding.exchange, binding.routingKey);
    }
  }
}
