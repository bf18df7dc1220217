import { IsIn } from 'class-validator';

export const EXECUTION_ACTIONS = [
  'cancel',
  'force-cancel',
  'kill',
  'resume',
  'force-resume',
  'requeue',
] as const;
export type ExecutionAction = (typeof EXECUTION_ACTIONS)[number];

/** POST /executions/{id}. */
export class ExecutionActionDto {
  /** `requeue` is accepted and, as in Cloudify, performs a plain cancel. */
  @IsIn(EXECUTION_ACTIONS, {
    message: `Invalid action. Valid action values are: ${EXECUTION_ACTIONS.join(', ')}`,
  })
  action: ExecutionAction;
}
