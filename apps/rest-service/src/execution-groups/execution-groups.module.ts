import { Module } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module';
import { ExecutionGroupsController } from './execution-groups.controller';
import { ExecutionGroupsRepository } from './execution-groups.repository';
import { ExecutionGroupsService } from './execution-groups.service';

/** Execution groups: a workflow over a deployment group, paced by the executions queue. */
@Module({
  imports: [ExecutionsModule],
  controllers: [ExecutionGroupsController],
  providers: [ExecutionGroupsService, ExecutionGroupsRepository],
})
export class ExecutionGroupsModule {}
