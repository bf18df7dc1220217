import { Module } from '@nestjs/common';
import { NodeInstancesController } from './node-instances.controller';
import { NodeInstancesRepository } from './node-instances.repository';
import { NodeInstancesService } from './node-instances.service';

/** GET/PATCH /node-instances and the workflow engine's bulk POST. */
@Module({
  controllers: [NodeInstancesController],
  providers: [NodeInstancesService, NodeInstancesRepository],
})
export class NodeInstancesModule {}
