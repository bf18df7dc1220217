import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { OperationWorker, defaultPluginRegistry } from '@nestify/agent';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { AgentPinger, MESSAGE_BUS, QUEUES } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';

/** Where the central deployment agent's ctx reaches the REST service; default: the task's rest_host/rest_port. */
export const CENTRAL_AGENT_REST_URL = 'MGMTWORKER_CENTRAL_AGENT_REST_URL';

/**
 * The central deployment agent: runs the operations whose executor is `central_deployment_agent`
 * (queue `cloudify.management_operation`) inside the mgmtworker process, with the built-in
 * plugins (with the agent installer, which pings host agents over the bus) and those installed
 * under `<NESTIFY_DATA_DIR>/plugins`, MAX_OPERATION_WORKERS at once.
 */
@Injectable()
export class CentralDeploymentAgent implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CentralDeploymentAgent.name);
  private readonly worker: OperationWorker;
  private readonly pinger: AgentPinger;

  constructor(
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(NESTIFY_CONFIG) config: NestifyConfig,
    @Inject(CENTRAL_AGENT_REST_URL) restUrl: string | null,
  ) {
    this.pinger = new AgentPinger(bus);
    const ping = (agent: string, timeoutMs: number) => this.pinger.ping(agent, timeoutMs);
    this.worker = new OperationWorker({
      bus,
      queue: QUEUES.operations,
      plugins: defaultPluginRegistry(config.dataDir, ping),
      concurrency: config.mgmtworker.maxOperationWorkers,
      restUrl: restUrl ?? undefined,
      logger: this.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.stop();
    await this.pinger.close();
  }
}
