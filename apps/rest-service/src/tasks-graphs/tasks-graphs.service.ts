import { Injectable } from '@nestjs/common';
import { BadParametersError, formatTimestamp, NotFoundError, Visibility } from '@nestify/common';
import { ListEnvelope, listEnvelope } from '../common/list/list-envelope';
import { ListQuery } from '../common/list/list-query';
import { TenantScope } from '../common/tenancy/tenant-scope';
import { CreateTasksGraphDto } from './dto/create-tasks-graph.dto';
import { TasksGraphResponseDto } from './dto/tasks-graph-response.dto';
import { GraphRow, TasksGraphsRepository } from './tasks-graphs.repository';

function toResponse(row: GraphRow): TasksGraphResponseDto {
  return {
    ...row,
    created_at: formatTimestamp(row.created_at),
    visibility: row.visibility as Visibility,
  };
}

/** The workflow engine's persisted task graphs (so a run can be resumed). */
@Injectable()
export class TasksGraphsService {
  constructor(private readonly graphs: TasksGraphsRepository) {}

  async create(body: CreateTasksGraphDto, scope: TenantScope): Promise<TasksGraphResponseDto> {
    if (body.created_at || body.graph_id) {
      throw new BadParametersError('created_at and graph_id (restore features) are not supported');
    }
    const execution = await this.graphs.findExecution(body.execution_id, scope);
    if (!execution) throw new NotFoundError('Execution', body.execution_id);
    const id = await this.graphs.create(execution, body.name, body.operations ?? []);
    return this.get(id, scope);
  }

  async get(id: string, scope: TenantScope): Promise<TasksGraphResponseDto> {
    const row = await this.graphs.findVisible(id, scope);
    if (!row) throw new NotFoundError('TasksGraph', id);
    return toResponse(row);
  }

  async list(
    executionId: string | undefined,
    name: string | undefined,
    query: ListQuery,
    scope: TenantScope,
  ): Promise<ListEnvelope<Partial<TasksGraphResponseDto>>> {
    if (!executionId) throw new BadParametersError('Missing required param: execution_id');
    const execution = await this.graphs.findExecution(executionId, scope);
    if (!execution) throw new NotFoundError('Execution', executionId);
    const { items, total } = await this.graphs.list(execution.storageId, name, {
      size: query.size,
      offset: query.offset,
      all: query.getAllResults,
    });
    return listEnvelope(items.map(toResponse), total, query);
  }
}
