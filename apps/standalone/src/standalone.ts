import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { startLogstashBridge } from '../../logstash-bridge/src/logstash-bridge.app';
import { startMgmtworker } from '../../mgmtworker/src/mgmtworker.app';
import { startRestService } from '../../rest-service/src/rest-service.app';
import { startRiemannPolicy } from '../../riemann-policy/src/riemann-policy.app';

/**
 * The single-process manager: all four apps in one process sharing one configuration, the
 * embedded PostgreSQL and the in-process bus (or real servers when their URLs are set). This is
 * the only module allowed to import apps; they never import each other.
 */
export async function startStandalone(config: NestifyConfig): Promise<INestApplication[]> {
  const options = { shutdownHooks: false };
  const apps: INestApplication[] = [];
  try {
    // The REST service first: it migrates the database before the workers need it.
    apps.push(await startRestService(config, options));
    apps.push(await startMgmtworker(config, options));
    apps.push(await startLogstashBridge(config, options));
    apps.push(await startRiemannPolicy(config, options));
  } catch (error) {
    await stopAll(apps);
    throw error;
  }
  return apps;
}

/** Closes apps in reverse start order, so the REST service (first in) goes last. */
export async function stopAll(apps: INestApplication[]): Promise<void> {
  for (const app of [...apps].reverse()) await app.close();
}
