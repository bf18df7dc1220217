import { Inject, Injectable } from '@nestjs/common';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { HeartbeatMonitor, MessagingHealthService } from '@nestify/messaging';
import { DatabaseHealthService } from '@nestify/model';
import { APP_DISPLAY_NAMES, APP_NAMES, AppName } from '@nestify/runtime';
import { ServiceReportDto, StatusResponseDto } from './dto/status-response.dto';

export type ServiceReport = ServiceReportDto;
export type StatusReport = StatusResponseDto;
export type ManagerStatus = StatusResponseDto['status'];

/**
 * Builds GET /status: storage and messaging are probed now; the four apps count as active while
 * their heartbeats keep arriving (rest-service answers, so it is active by definition).
 */
@Injectable()
export class StatusService {
  constructor(
    @Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig,
    private readonly database: DatabaseHealthService,
    private readonly messaging: MessagingHealthService,
    private readonly heartbeats: HeartbeatMonitor,
  ) {}

  async isDatabaseUp(): Promise<boolean> {
    return (await this.database.ping()).ok;
  }

  async report(): Promise<StatusReport> {
    const [db, bus] = await Promise.all([this.database.ping(), this.messaging.ping()]);
    const services: Record<string, ServiceReport> = {
      PostgreSQL: {
        status: db.ok ? 'Active' : 'Inactive',
        is_remote: !db.embedded,
        extra_info: { embedded: db.embedded, ...(db.error ? { error: db.error } : {}) },
      },
      [bus.kind === 'amqp' ? 'RabbitMQ' : 'Message Bus']: {
        status: bus.ok ? 'Active' : 'Inactive',
        is_remote: bus.kind === 'amqp',
        extra_info: { kind: bus.kind, ...(bus.error ? { error: bus.error } : {}) },
      },
    };
    let allAppsAlive = true;
    for (const app of APP_NAMES) {
      const report = this.appReport(app);
      allAppsAlive &&= report.status === 'Active';
      services[APP_DISPLAY_NAMES[app]] = report;
    }
    const status: ManagerStatus = !db.ok || !bus.ok ? 'Fail' : allAppsAlive ? 'OK' : 'Degraded';
    return { status, services };
  }

  private appReport(app: AppName): ServiceReport {
    const instances = this.heartbeats.liveApps().filter((beat) => beat.app === app);
    const alive = app === 'rest-service' || instances.some((beat) => beat.alive);
    return {
      status: alive ? 'Active' : 'Inactive',
      is_remote: false,
      extra_info: {
        instances: instances.map((beat) => ({
          instance_id: beat.instance_id,
          last_seen: beat.last_seen,
          alive: beat.alive,
        })),
        heartbeat_interval_ms: this.config.messaging.heartbeatIntervalMs,
      },
    };
  }
}
