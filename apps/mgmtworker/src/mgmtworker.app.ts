import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { QUEUES } from '@nestify/messaging';
import { AppOptions, createApp } from '@nestify/runtime';
import { MgmtworkerModule, MgmtworkerOptions } from './mgmtworker.module';

/**
 * Starts the mgmtworker: it serves messages only, so it initialises without an HTTP listener.
 * The workflow queue's prefetch is MAX_WORKERS: each held message is one running execution.
 */
export async function startMgmtworker(
  config: NestifyConfig,
  options: AppOptions = {},
  mgmtworker: MgmtworkerOptions = {},
): Promise<INestApplication> {
  const app = await createApp((c) => MgmtworkerModule.forRoot(c, mgmtworker), config, {
    ...options,
    consumes: [
      { queue: QUEUES.workflows, prefetch: config.mgmtworker.maxWorkers },
      ...(options.consumes ?? []),
    ],
  });
  await app.init();
  return app;
}
