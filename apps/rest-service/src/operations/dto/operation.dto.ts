import { Allow, IsArray, IsObject, IsOptional, IsString } from 'class-validator';

/** PUT /operations/{id}: one task added to a stored graph. */
export class CreateOperationDto {
  @IsString()
  name: string;

  @IsString()
  graph_id: string;

  @IsArray()
  @IsString({ each: true })
  dependencies: string[];

  @IsOptional()
  @IsString()
  type?: string | null;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;
}

/** PATCH /operations/{id}: the task's new state, and what the worker reported. */
export class UpdateOperationDto {
  /** pending, sending, sent, started, rescheduled, succeeded or failed. */
  @IsString()
  state: string;

  @Allow()
  result?: unknown;

  @Allow()
  exception?: unknown;

  @Allow()
  exception_causes?: unknown;

  @IsOptional()
  @IsString()
  manager_name?: string | null;

  @IsOptional()
  @IsString()
  agent_name?: string | null;
}
