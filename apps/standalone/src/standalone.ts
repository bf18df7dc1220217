import { INestApplication } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { closeApps } from '@nestify/runtime';
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
  const apps: INestApplication[] = [];
  try {
    // The REST service first: it migrates the database before the workers need it.
    apps.push(await startRestService(config));
    apps.push(await startMgmtworker(config));
    apps.push(await startLogstashBridge(config));
    apps.push(await startRiemannPolicy(config));
  } catch (error) {
    await closeApps(apps);
    throw error;
  }
  return apps;
}
