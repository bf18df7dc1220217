import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { AppName } from '../app-name';
import { AppMetricsRegistry } from './app-metrics.registry';
import { MetricsHttpServer } from './metrics-http.server';

const METRICS_PORT = 'NESTIFY_METRICS_PORT';

/** Serves the app's registry while the app runs. */
@Injectable()
class MetricsEndpoint implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly server: MetricsHttpServer;

  constructor(
    metrics: AppMetricsRegistry,
    @Inject(METRICS_PORT) private readonly port: number,
  ) {
    this.server = new MetricsHttpServer(metrics);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.server.listen(this.port);
  }

  onModuleDestroy(): Promise<void> {
    return this.server.close();
  }
}

/**
 * An app's own Prometheus metrics: `AppMetricsRegistry` to register on (process metrics
 * included) and, for apps without HTTP, `GET /metrics` on `port` (0: no listener).
 */
@Module({})
export class PrometheusModule {
  static forApp(app: AppName, port: number): DynamicModule {
    return {
      module: PrometheusModule,
      providers: [
        // A factory, not a value: a module's imports are evaluated once per process, and two apps
        // of one process (tests, a restart) must not share metrics of the same name.
        { provide: AppMetricsRegistry, useFactory: () => new AppMetricsRegistry(app) },
        { provide: METRICS_PORT, useValue: port },
        MetricsEndpoint,
      ],
      exports: [AppMetricsRegistry],
    };
  }
}
