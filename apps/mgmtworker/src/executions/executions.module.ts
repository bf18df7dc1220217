import { Module } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import { AgentPinger, MESSAGE_BUS } from '@nestify/messaging';
import type { MessageBus } from '@nestify/messaging';
import { BusOperationDispatcher } from '../dispatch/operation-dispatcher';
import { ExecutionLeasesRepository } from './execution-leases.repository';
import { ExecutionRunner } from './execution-runner';
import { MgmtworkerExecutionsRepository } from './executions.repository';
import { RunningExecutions } from './running-executions';
import { WORKER_ID } from './worker-identity';
import { WorkflowsController } from './workflows.controller';

/** Runs executions from the workflow queue. WORKER_ID and WORKFLOW_ENGINE come from the app module. */
@Module({
  controllers: [WorkflowsController],
  providers: [
    ExecutionRunner,
    RunningExecutions,
    ExecutionLeasesRepository,
    MgmtworkerExecutionsRepository,
    {
      provide: BusOperationDispatcher,
      inject: [MESSAGE_BUS, WORKER_ID, NESTIFY_CONFIG],
      useFactory: (bus: MessageBus, workerId: string, config: NestifyConfig) =>
        new BusOperationDispatcher(bus, workerId, {
          agentPinger: new AgentPinger(bus),
          agentPingTimeoutMs: config.mgmtworker.agentPingTimeoutMs,
          maxBatchBytes: Math.min(256 * 1024, Math.floor(config.messaging.maxMessageBytes / 4)),
        }),
    },
  ],
})
export class ExecutionsModule {}
