import { MessageBus, MetricMessage, publishMetric } from '@nestify/messaging';

/**
 * Sends a metric for each of a set of node instances every `everyMs` until stopped, as agents
 * do; the value of each send comes from `value()`, so a test can change it on the fly.
 */
export class MetricStream {
  private timer?: NodeJS.Timeout;
  private readonly targets = new Map<string, Omit<MetricMessage, 'metric'>>();
  sent = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly value: () => number,
    private readonly everyMs = 100,
  ) {}

  add(deploymentId: string, nodeName: string, nodeInstanceId: string, service: string, ttl = 1) {
    const base = { deployment_id: deploymentId, node_name: nodeName, node_id: nodeInstanceId };
    this.targets.set(nodeInstanceId, { ...base, service, ttl, tenant_name: 'default_tenant' });
    return this;
  }

  remove(nodeInstanceId: string): void {
    this.targets.delete(nodeInstanceId);
  }

  start(): this {
    const tick = async () => {
      for (const target of this.targets.values()) {
        await publishMetric(this.bus, { ...target, metric: this.value(), time: Date.now() / 1000 });
        this.sent++;
      }
    };
    this.timer = setInterval(() => void tick().catch(() => undefined), this.everyMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
