import { Module } from '@nestjs/common';
import { ExecutionGroupMembersRepository } from './execution-group-members.repository';

/** What the executions context needs of execution groups: their concurrency and result groups. */
@Module({
  providers: [ExecutionGroupMembersRepository],
  exports: [ExecutionGroupMembersRepository],
})
export class ExecutionGroupMembersModule {}
