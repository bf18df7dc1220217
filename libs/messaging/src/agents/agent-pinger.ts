import { randomUUID } from 'node:crypto';
import type { Consumer, MessageBus } from '../bus/message-bus';
import { agentTopology, replyQueue, ROUTING_KEYS } from '../topology';

interface Waiter {
  resolve: (alive: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Asks host agents whether they are up: a `ping` service task on the agent's exchange, answered
 * on this pinger's own reply queue (workflows.md §7). One reply queue per pinger, made on first
 * use; the agent's exchange and queues are declared first (idempotent), so pinging an agent that
 * never started waits out the timeout instead of failing the channel.
 */
export class AgentPinger {
  private readonly waiters = new Map<string, Waiter>();
  private readonly declared = new Set<string>();
  private readonly queue = replyQueue(`ping.${randomUUID()}`);
  private consumer: Promise<Consumer> | undefined;

  constructor(private readonly bus: MessageBus) {}

  /** Whether the agent answered within `timeoutMs`. */
  async ping(agentName: string, timeoutMs: number): Promise<boolean> {
    await this.listen();
    if (!this.declared.has(agentName)) {
      await this.bus.declare(agentTopology(agentName));
      this.declared.add(agentName);
    }
    const id = randomUUID();
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(id, { resolve, timer });
    });
    const body = { service_task: { task_name: 'ping', kwargs: {} } };
    await this.bus.publish(agentName, ROUTING_KEYS.service, body, {
      persistent: false,
      replyTo: this.queue.name,
      correlationId: id,
    });
    return answered;
  }

  async close(): Promise<void> {
    for (const [id, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(false);
      this.waiters.delete(id);
    }
    const consumer = this.consumer;
    this.consumer = undefined;
    await (await consumer)?.cancel();
  }

  private listen(): Promise<Consumer> {
    this.consumer ??= this.bus.declare({ exchanges: [], queues: [this.queue] }).then(() =>
      this.bus.consume(this.queue.name, async (message) => {
        const waiter = message.correlationId ? this.waiters.get(message.correlationId) : undefined;
        if (!waiter || !message.correlationId) return;
        this.waiters.delete(message.correlationId);
        clearTimeout(waiter.timer);
        waiter.resolve(true);
      }),
    );
    return this.consumer;
  }
}
