import { Type } from 'class-transformer';
import { Allow, IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

/** `{text, arguments?}`. */
export class EventMessageDto {
  @IsOptional()
  @IsString()
  text?: string | null;

  @Allow()
  arguments?: unknown;
}

/** One `cloudify_event` as the workflow library sends it. */
export class PostedEventDto {
  @IsString()
  event_type: string;

  @ValidateNested()
  @Type(() => EventMessageDto)
  message: EventMessageDto;

  /** `{node_id, source_id, target_id, task_error_causes?…}`. */
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown> | null;

  @IsOptional()
  @IsString()
  operation?: string | null;

  @IsOptional()
  @IsString()
  message_code?: string | null;

  /** When it happened (producer time); defaults to now. */
  @IsOptional()
  @IsString()
  timestamp?: string | null;

  /** Ignored: the server sets the reported timestamp on insert. */
  @Allow()
  reported_timestamp?: unknown;
}

/** One `cloudify_log` line. */
export class PostedLogDto {
  @IsOptional()
  @IsString()
  logger?: string | null;

  @IsOptional()
  @IsString()
  level?: string | null;

  @ValidateNested()
  @Type(() => EventMessageDto)
  message: EventMessageDto;

  /** `{operation, node_id, source_id, target_id}`. */
  @IsOptional()
  @IsObject()
  context?: Record<string, unknown> | null;

  @IsOptional()
  @IsString()
  message_code?: string | null;

  @IsOptional()
  @IsString()
  timestamp?: string | null;

  @Allow()
  reported_timestamp?: unknown;
}

/** POST /events: a batch of events and logs of one execution (or execution group). */
export class CreateEventsDto {
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PostedEventDto)
  events?: PostedEventDto[] | null;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PostedLogDto)
  logs?: PostedLogDto[] | null;

  /** Defaults to the execution of the calling execution token. */
  @IsOptional()
  @IsString()
  execution_id?: string | null;

  @IsOptional()
  @IsString()
  execution_group_id?: string | null;

  @IsOptional()
  @IsString()
  manager_name?: string | null;

  @IsOptional()
  @IsString()
  agent_name?: string | null;
}
