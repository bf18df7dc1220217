import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { RiemannPolicyModule } from './riemann-policy.module';

export interface RiemannPolicyOptions extends AppOptions {
  /** Nest modules providing custom policy types and triggers. */
  extensions?: Array<Type | DynamicModule>;
}

/** Starts the riemann-policy: it serves messages only, so it initialises without an HTTP listener. */
export async function startRiemannPolicy(
  config: NestifyConfig,
  options: RiemannPolicyOptions = {},
): Promise<INestApplication> {
  const { extensions, ...appOptions } = options;
  const app = await createApp(
    (c) => RiemannPolicyModule.forRoot(c, extensions),
    config,
    appOptions,
  );
  await app.init();
  return app;
}
