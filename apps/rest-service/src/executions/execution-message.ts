import { randomBytes } from 'node:crypto';
import { hashExecutionToken } from '../tokens/token-value';

/** Everything the workflow start message says about an execution. */
export interface ExecutionMessageInput {
  executionId: string;
  workflowId: string;
  /** The workflow's python path (`operation` of the deployment's workflow entry). */
  taskName: string;
  parameters: Record<string, unknown>;
  dryRun: boolean;
  isSystemWorkflow: boolean;
  resume: boolean;
  waitAfterFail: number;
  bypassMaintenance: boolean | null;
  creator: { id: number; username: string };
  tenantName: string;
  restHost: string[];
  restPort: number;
  deployment?: {
    id: string;
    displayName: string | null;
    creatorName: string;
    resourceTags: unknown;
    blueprintId: string | null;
    runtimeOnlyEvaluation: boolean;
  };
  plugin?: Record<string, unknown>;
}

/** The message on `cloudify.management` / `workflow` that asks the mgmtworker to run a workflow. */
export interface ExecutionStartMessage {
  id: string;
  execution_creator: number;
  cloudify_task: { kwargs: Record<string, unknown> };
}

/** Cancel / kill requests share the queue so a busy worker sees them promptly. */
export interface ExecutionCancelMessage {
  action: 'cancel' | 'force-cancel' | 'kill';
  execution_id: string;
  tenant: { name: string };
  /** Kill only: the execution's new token (the old one was revoked), for its final status. */
  execution_token?: string;
}

/** A new execution token (32 hex characters, as Cloudify's uuid4().hex) and what is stored of it. */
export function newExecutionToken(): { token: string; hash: string } {
  const token = randomBytes(16).toString('hex');
  return { token, hash: hashExecutionToken(token) };
}

/** messaging.md §3.1 / workflows.md §0: parameters plus `__cloudify_context`. */
export function buildStartMessage(
  input: ExecutionMessageInput,
  token: string,
): ExecutionStartMessage {
  const context: Record<string, unknown> = {
    type: 'workflow',
    task_id: input.executionId,
    execution_id: input.executionId,
    task_name: input.taskName,
    workflow_id: input.workflowId,
    dry_run: input.dryRun,
    is_system_workflow: input.isSystemWorkflow,
    execution_creator_username: input.creator.username,
    task_target: 'cloudify.management',
    tenant: { name: input.tenantName },
    resume: input.resume,
    wait_after_fail: input.waitAfterFail,
    bypass_maintenance: input.bypassMaintenance,
    execution_token: token,
    rest_token: token,
    rest_host: input.restHost,
    rest_port: input.restPort,
  };
  if (input.deployment) {
    Object.assign(context, {
      deployment_id: input.deployment.id,
      deployment_display_name: input.deployment.displayName,
      deployment_creator: input.deployment.creatorName,
      deployment_resource_tags: input.deployment.resourceTags,
      blueprint_id: input.deployment.blueprintId,
      runtime_only_evaluation: input.deployment.runtimeOnlyEvaluation,
    });
  }
  if (input.plugin) context.plugin = input.plugin;
  return {
    id: input.executionId,
    execution_creator: input.creator.id,
    cloudify_task: { kwargs: { ...input.parameters, __cloudify_context: context } },
  };
}
