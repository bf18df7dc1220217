import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { LogstashBridgeModule } from './logstash-bridge.module';

/** Starts the logstash-bridge: it serves messages only, so it initialises without an HTTP listener. */
export async function startLogstashBridge(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => LogstashBridgeModule.forRoot(c), config, options);
  await app.init();
  return app;
}
