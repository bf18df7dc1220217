import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { once } from 'node:events';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { BridgeMetrics } from './bridge-metrics';

/**
 * `GET /metrics` in Prometheus text format on BRIDGE_METRICS_PORT (the bridge has no other HTTP).
 * A port already taken is logged, not fatal: moving events matters more than reporting on it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: BridgeMetrics,
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.events.metricsPort;
    if (port === 0) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.metrics.registry.metrics().then(
        (text) =>
          response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    server.listen(port);
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([e]) => Promise.reject(e)),
      ]);
      this.server = server;
    } catch (error) {
      this.logger.warn(`no /metrics: port ${port} is not available (${(error as Error).message})`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
