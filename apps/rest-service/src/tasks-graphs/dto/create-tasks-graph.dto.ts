import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

/** One task of a graph, as the workflow library persists it. */
export class GraphOperationDto {
  @IsString()
  id: string;

  @IsOptional()
  @IsString()
  name?: string | null;

  /** RemoteWorkflowTask, SubgraphTask, SetNodeInstanceStateTask, SendNodeEventTask, NOPLocalWorkflowTask… */
  @IsOptional()
  @IsString()
  type?: string | null;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  dependencies?: string[] | null;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;

  /** Defaults to `pending`. */
  @IsOptional()
  @IsString()
  state?: string;
}

/** POST /tasks_graphs/tasks_graphs. */
export class CreateTasksGraphDto {
  @IsString()
  name: string;

  @IsString()
  execution_id: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GraphOperationDto)
  operations?: GraphOperationDto[] | null;

  /** Not supported (restore feature): 400 when set. */
  @IsOptional()
  @IsString()
  created_at?: string | null;

  /** Not supported (restore feature): 400 when set. */
  @IsOptional()
  @IsString()
  graph_id?: string | null;
}

/** PATCH /tasks_graphs/{id}: accepted, not stored (Cloudify has no state column either). */
export class UpdateTasksGraphDto {
  @IsOptional()
  @IsString()
  state?: string;
}
