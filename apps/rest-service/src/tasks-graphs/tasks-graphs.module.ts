import { Module } from '@nestjs/common';
import { TasksGraphsController } from './tasks-graphs.controller';
import { TasksGraphsRepository } from './tasks-graphs.repository';
import { TasksGraphsService } from './tasks-graphs.service';

/** POST/GET/PATCH /tasks_graphs: the workflow engine's persisted task graphs. */
@Module({
  controllers: [TasksGraphsController],
  providers: [TasksGraphsService, TasksGraphsRepository],
})
export class TasksGraphsModule {}
