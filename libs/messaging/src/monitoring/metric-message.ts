import { MessageBus } from '../bus/message-bus';
import { EXCHANGES, metricRoutingKey } from '../topology';

/**
 * A metric on the `cloudify-monitoring` exchange, in the shape Cloudify 4's Diamond plugin sent
 * (one value per message) plus nestify's `tenant_name`.
 */
export interface MetricMessage {
  deployment_id: string;
  /** The node (template) name. */
  node_name: string;
  /** The node instance id. */
  node_id: string;
  /** The service name, e.g. `cpu.total.user`. */
  service: string;
  metric: number;
  /** Unix seconds; default now. */
  time?: number;
  /** Seconds the value stays current; default 60. */
  ttl?: number;
  host?: string;
  state?: string;
  tags?: string[];
  tenant_name?: string;
}

/**
 * Publishes one metric to `cloudify-monitoring` under `<deployment>.<node>.<instance>.<service>`;
 * for agents, the CLI and tests. Metrics are transient data: not persisted by the broker, so a
 * stream of them costs no disk writes.
 */
export async function publishMetric(bus: MessageBus, message: MetricMessage): Promise<void> {
  const body: MetricMessage = { time: Date.now() / 1000, ttl: 60, ...message };
  const key = metricRoutingKey(body.deployment_id, body.node_name, body.node_id, body.service);
  await bus.publish(EXCHANGES.monitoring, key, body, { persistent: false });
}

/**
 * Publishes several metrics in one message (a JSON array), as batching collectors do: one broker
 * round trip for all of them. Routed by the first; the consumers' queues take every key.
 */
export async function publishMetrics(bus: MessageBus, messages: MetricMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const now = Date.now() / 1000;
  const body = messages.map((message) => ({ time: now, ttl: 60, ...message }));
  const [first] = body;
  const key = metricRoutingKey(first.deployment_id, first.node_name, first.node_id, first.service);
  await bus.publish(EXCHANGES.monitoring, key, body, { persistent: false });
}
