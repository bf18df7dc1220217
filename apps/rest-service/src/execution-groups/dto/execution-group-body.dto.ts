import { Allow, IsIn, IsInt, IsObject, IsOptional, IsString, Min } from 'class-validator';

/** POST /execution-groups: run a workflow over every deployment of a deployment group. */
export class CreateExecutionGroupDto {
  @IsString()
  deployment_group_id: string;

  @IsString()
  workflow_id: string;

  /** Parameters for every member. */
  @IsOptional()
  @IsObject()
  default_parameters?: Record<string, unknown> | null;

  /** Per-deployment parameters (`{deployment_id: {...}}`), over the defaults. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, Record<string, unknown>> | null;

  /** Run despite availability rules and other executions of the deployments. */
  @Allow()
  force?: boolean | string | null;

  /** How many members run at once (default 5; 0 pauses the group). */
  @IsOptional()
  @IsInt({ message: 'concurrency must be a nonnegative number' })
  @Min(0, { message: 'concurrency must be a nonnegative number' })
  concurrency?: number;
}

export const EXECUTION_GROUP_ACTIONS = [
  'cancel',
  'force-cancel',
  'kill',
  'resume',
  'force-resume',
] as const;
export type ExecutionGroupAction = (typeof EXECUTION_GROUP_ACTIONS)[number];

/** POST /execution-groups/{id}: an action applied to every member. */
export class ExecutionGroupActionDto {
  @IsIn(EXECUTION_GROUP_ACTIONS, {
    message: `Invalid action. Valid action values are: ${EXECUTION_GROUP_ACTIONS.join(', ')}`,
  })
  action: ExecutionGroupAction;
}

/** PATCH /execution-groups/{id}. */
export class UpdateExecutionGroupDto {
  /** Deployments whose member execution terminates join this deployment group. */
  @IsOptional()
  @IsString()
  success_group_id?: string | null;

  /** Deployments whose member execution fails join this deployment group. */
  @IsOptional()
  @IsString()
  failure_group_id?: string | null;

  @IsOptional()
  @IsInt({ message: 'concurrency must be a nonnegative number' })
  @Min(0, { message: 'concurrency must be a nonnegative number' })
  concurrency?: number | null;
}
