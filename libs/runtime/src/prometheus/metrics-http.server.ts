import { Logger } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AppMetricsRegistry } from './app-metrics.registry';

/**
 * `GET /metrics` in Prometheus text format on a port of its own, for apps without HTTP. A port
 * already taken is logged, not fatal: the app's work matters more than reporting on it.
 */
export class MetricsHttpServer {
  private readonly logger = new Logger(MetricsHttpServer.name);
  private server?: Server;

  constructor(private readonly metrics: AppMetricsRegistry) {}

  /** Listens on `port` (0: not at all); resolves with the bound port, or undefined. */
  async listen(port: number, host?: string): Promise<number | undefined> {
    if (port === 0) return undefined;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      this.metrics.metrics().then(
        (text) => response.writeHead(200, { 'Content-Type': this.metrics.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    server.listen(port, host);
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([e]) => Promise.reject(e)),
      ]);
      this.server = server;
      const address = server.address();
      return typeof address === 'object' && address ? address.port : port;
    } catch (error) {
      this.logger.warn(`no /metrics: port ${port} is not available (${(error as Error).message})`);
      return undefined;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
