import { Module } from '@nestjs/common';
import { ExecutionGroupMembersModule } from '../execution-groups/execution-group-members.module';
import { OperationsModule } from '../operations/operations.module';
import { TasksGraphsModule } from '../tasks-graphs/tasks-graphs.module';
import { ExecutionDispatcher } from './execution-dispatcher';
import { ExecutionsController } from './executions.controller';
import { ExecutionsRepository } from './executions.repository';
import { ExecutionsService } from './executions.service';

/**
 * Executions: start (checks, queueing, dispatch to the workflow engine), status updates and
 * actions, lists; plus the engine's persistence endpoints (task graphs and operations).
 */
@Module({
  imports: [OperationsModule, TasksGraphsModule, ExecutionGroupMembersModule],
  controllers: [ExecutionsController],
  providers: [ExecutionsService, ExecutionsRepository, ExecutionDispatcher],
  exports: [ExecutionsService],
})
export class ExecutionsModule {}
