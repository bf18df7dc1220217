import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppName } from '../app-name';

/**
 * One app's Prometheus registry: the process metrics (CPU, memory, event-loop lag, GC) labelled
 * with the app, plus whatever the app's contexts register on it. A registry per app because the
 * standalone process runs all four apps.
 */
export class AppMetricsRegistry {
  readonly registry = new Registry();

  constructor(readonly app: AppName) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry, prefix: 'nestify_' });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
