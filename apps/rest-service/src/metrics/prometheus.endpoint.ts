import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram } from 'prom-client';
import { AppMetricsRegistry } from '@nestify/runtime';

/**
 * The REST service's own Prometheus metrics at `GET /metrics` on its HTTP port, beside the API
 * (no prefix, no credentials — what Prometheus scrapers expect), with a request-duration
 * histogram by route pattern, so the label set stays small.
 */
@Injectable()
export class PrometheusEndpoint implements OnModuleInit {
  private readonly requests: Histogram<'method' | 'route' | 'status'>;

  constructor(
    private readonly metrics: AppMetricsRegistry,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.requests = new Histogram({
      name: 'nestify_http_request_seconds',
      help: 'REST requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addHook !== 'function') return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      this.requests.observe(
        {
          method: request.method,
          route: request.routeOptions?.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
    fastify.get('/metrics', async (_request, reply) => {
      const text = await this.metrics.metrics();
      return reply.header('Content-Type', this.metrics.contentType).send(text);
    });
  }
}
