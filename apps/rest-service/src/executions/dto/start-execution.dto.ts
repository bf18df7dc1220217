import { Allow, IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';

/** A boolean as Cloudify's client sends it: `true`/`false`, or the strings `"true"`/`"false"`. */
type WireBoolean = boolean | string;

/** POST /executions. */
export class StartExecutionDto {
  @IsString()
  deployment_id: string;

  @IsString()
  workflow_id: string;

  /** Workflow parameters; merged over the declared defaults. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown> | null;

  /** Accept parameters the workflow does not declare. */
  @Allow()
  allow_custom_parameters?: WireBoolean | null;

  /** Run despite availability rules and other executions of the deployment. */
  @Allow()
  force?: WireBoolean | null;

  @Allow()
  dry_run?: WireBoolean | null;

  /** Queue behind a running execution instead of failing. */
  @Allow()
  queue?: WireBoolean | null;

  /** Seconds the workflow waits after a failure before giving up (default 600). */
  @IsOptional()
  @IsInt()
  @Min(0)
  wait_after_fail?: number | null;

  /** Scheduling is not supported here (400 when set). */
  @Allow()
  scheduled_time?: string | null;

  /** Admin restore features: not supported (400 when set). */
  @Allow()
  force_status?: string | null;

  @Allow()
  created_by?: string | null;

  @Allow()
  created_at?: string | null;

  @Allow()
  started_at?: string | null;

  @Allow()
  ended_at?: string | null;

  @Allow()
  id?: string | null;

  @Allow()
  is_system_workflow?: WireBoolean | null;

  @Allow()
  error?: string | null;
}
