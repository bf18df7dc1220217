import { IsOptional, IsString } from 'class-validator';

/** PATCH /executions/{id} (the workflow reports its progress). */
export class UpdateExecutionStatusDto {
  /** One of pending, started, cancelling, force_cancelling, kill_cancelling, queued, scheduled, terminated, failed, cancelled. */
  @IsString()
  status: string;

  /** Defaults to `""`. */
  @IsOptional()
  @IsString()
  error?: string | null;
}
