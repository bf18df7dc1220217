import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/**
 * Makes `app.init()` leave Fastify ready to serve, as it left Express: Fastify loads its plugins
 * and routes only in `ready()`, which otherwise waits for `listen()` — so a server handed to a
 * client (supertest's `app.getHttpServer()`) after `init()` alone would never answer.
 */
@Injectable()
class FastifyReadiness implements OnApplicationBootstrap {
  constructor(private readonly host: HttpAdapterHost) {}

  async onApplicationBootstrap(): Promise<void> {
    const adapter = this.host.httpAdapter;
    if (adapter?.getType() === 'fastify')
      await adapter.getInstance<{ ready(): Promise<unknown> }>().ready();
  }
}

@Module({ providers: [FastifyReadiness] })
export class HttpPlatformModule {}
