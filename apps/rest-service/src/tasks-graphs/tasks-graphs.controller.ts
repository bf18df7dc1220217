import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { Auth, AuthContext, RequirePermission, TenantScoped } from '../auth/auth-context';
import { ListEnvelope } from '../common/list/list-envelope';
import { parseListQuery, RawQuery } from '../common/list/list-query';
import { tenantScopeOf } from '../common/tenancy/tenant-scope';
import { ApiListResponse } from '../openapi/api-list.decorator';
import { CreateTasksGraphDto, UpdateTasksGraphDto } from './dto/create-tasks-graph.dto';
import { TASKS_GRAPH_FIELDS, TasksGraphResponseDto } from './dto/tasks-graph-response.dto';
import { TasksGraphsService } from './tasks-graphs.service';

/** Persistence of the workflow engine's task graphs (internal; called with an execution token). */
@Controller('tasks_graphs')
@TenantScoped()
export class TasksGraphsController {
  constructor(private readonly graphs: TasksGraphsService) {}

  @Get()
  @RequirePermission('operations')
  @ApiListResponse(TasksGraphResponseDto)
  @ApiQuery({ name: 'execution_id', required: true, schema: { type: 'string' } })
  @ApiQuery({ name: 'name', required: false, schema: { type: 'string' } })
  list(
    @Query() query: RawQuery,
    @Auth() auth: AuthContext,
  ): Promise<ListEnvelope<Partial<TasksGraphResponseDto>>> {
    const { execution_id, name, ...rest } = query;
    return this.graphs.list(
      typeof execution_id === 'string' ? execution_id : undefined,
      typeof name === 'string' ? name : undefined,
      parseListQuery(rest, { fields: TASKS_GRAPH_FIELDS }),
      tenantScopeOf(auth),
    );
  }

  /** The client posts to `/tasks_graphs/tasks_graphs`; any last segment works. */
  @Post(':anything')
  @RequirePermission('operations')
  create(
    @Body() body: CreateTasksGraphDto,
    @Auth() auth: AuthContext,
  ): Promise<TasksGraphResponseDto> {
    return this.graphs.create(body, tenantScopeOf(auth));
  }

  @Patch(':id')
  @RequirePermission('operations')
  update(
    @Param('id') id: string,
    @Body() _body: UpdateTasksGraphDto,
    @Auth() auth: AuthContext,
  ): Promise<TasksGraphResponseDto> {
    return this.graphs.get(id, tenantScopeOf(auth));
  }
}
