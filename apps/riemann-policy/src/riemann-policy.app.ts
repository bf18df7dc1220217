import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { RiemannPolicyModule } from './riemann-policy.module';

/** Starts the riemann-policy: it serves messages only, so it initialises without an HTTP listener. */
export async function startRiemannPolicy(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => RiemannPolicyModule.forRoot(c), config, options);
  await app.init();
  return app;
}
