import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { NestifyConfig } from '@nestify/config';
import { AppCoreModule, PrometheusModule } from '@nestify/runtime';
import { CENTRAL_AGENT_REST_URL, CentralDeploymentAgent } from './agent/central-deployment-agent';
import { ExecutionsModule } from './executions/executions.module';
import { newWorkerId, WORKER_ID } from './executions/worker-identity';
import { libraryEngine, WORKFLOW_ENGINE } from './executions/workflow-engine';

export interface MgmtworkerOptions {
  /**
   * `http://host:port` of the REST service for the central deployment agent's ctx; default: the
   * `rest_host` / `rest_port` each operation task carries.
   */
  restUrl?: string;
}

/** This process's identity, engine and agent settings, for every context module. */
@Global()
@Module({})
class MgmtworkerRuntimeModule {
  static forOptions(options: MgmtworkerOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: WORKER_ID, useFactory: newWorkerId },
      { provide: WORKFLOW_ENGINE, useValue: libraryEngine },
      { provide: CENTRAL_AGENT_REST_URL, useFactory: () => options.restUrl ?? null },
    ];
    return { module: MgmtworkerRuntimeModule, providers, exports: providers };
  }
}

/**
 * The management worker: runs workflows (consuming `cloudify.management_workflow`), dispatches
 * their operations over RabbitMQ and runs the central deployment agent in-process.
 */
@Module({})
export class MgmtworkerModule {
  static forRoot(config: NestifyConfig, options: MgmtworkerOptions = {}): DynamicModule {
    return {
      module: MgmtworkerModule,
      imports: [
        AppCoreModule.forApp('mgmtworker', config),
        PrometheusModule.forApp('mgmtworker', config.mgmtworker.metricsPort),
        MgmtworkerRuntimeModule.forOptions(options),
        ExecutionsModule,
      ],
      providers: [CentralDeploymentAgent],
    };
  }
}
