import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppOptions, createApp } from '@nestify/runtime';
import { MgmtworkerModule } from './mgmtworker.module';

/** Starts the mgmtworker: it serves messages only, so it initialises without an HTTP listener. */
export async function startMgmtworker(
  config: NestifyConfig,
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => MgmtworkerModule.forRoot(c), config, options);
  await app.init();
  return app;
}
