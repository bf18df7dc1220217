import { Module } from '@nestjs/common';
import { MESSAGE_BUS } from '@nestify/messaging';
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
      inject: [MESSAGE_BUS, WORKER_ID],
      useFactory: (bus: MessageBus, workerId: string) => new BusOperationDispatcher(bus, workerId),
    },
  ],
})
export class ExecutionsModule {}
