import { RejectMessageError } from '@nestify/messaging';
import type { ExecutionRequest, JsonMap } from '@nestify/workflows';

/** A start (or resume) request: the execution request plus what only the message carries. */
export interface StartRequest {
  kind: 'start';
  request: ExecutionRequest;
  token: string;
  restUrl: string;
}

/** Cancel / force-cancel / kill of an execution (messaging.md §3.1). */
export interface CancelRequest {
  kind: 'cancel';
  action: 'cancel' | 'force-cancel' | 'kill';
  executionId: string;
  tenantName: string;
  /** Kill only: the execution's new token (the REST service revoked the old one). */
  token?: string;
}

const isMap = (value: unknown): value is JsonMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Decodes a message of the workflow queue; anything else is dead-lettered as `invalid_execution_message`. */
export function parseWorkflowMessage(body: unknown): StartRequest | CancelRequest {
  if (isMap(body) && typeof body.action === 'string') return parseCancel(body);
  if (!isMap(body) || !isMap(body.cloudify_task) || !isMap(body.cloudify_task.kwargs)) {
    throw invalid('not an execution request');
  }
  const { __cloudify_context: context, ...parameters } = body.cloudify_task.kwargs;
  if (!isMap(context)) throw invalid('no __cloudify_context');
  const executionId = str(context.execution_id) ?? str(body.id);
  const tenantName = isMap(context.tenant) ? str(context.tenant.name) : null;
  const token = str(context.execution_token);
  const workflowId = str(context.workflow_id);
  if (!executionId || !tenantName || !token || !workflowId) {
    throw invalid('execution_id, tenant, workflow_id and execution_token are required');
  }
  return {
    kind: 'start',
    token,
    restUrl: restUrlOf(context),
    request: {
      execution_id: executionId,
      workflow_id: workflowId,
      task_name: str(context.task_name) ?? '',
      parameters,
      deployment_id: str(context.deployment_id),
      blueprint_id: str(context.blueprint_id),
      tenant_name: tenantName,
      execution_creator_username: str(context.execution_creator_username) ?? '',
      dry_run: context.dry_run === true,
      resume: context.resume === true,
      is_system_workflow: context.is_system_workflow === true,
      wait_after_fail: typeof context.wait_after_fail === 'number' ? context.wait_after_fail : 600,
      context,
    },
  };
}

function parseCancel(body: JsonMap): CancelRequest {
  const action = body.action;
  if (action !== 'cancel' && action !== 'force-cancel' && action !== 'kill') {
    throw invalid(`unknown action ${String(action)}`);
  }
  const executionId = str(body.execution_id);
  const tenantName = isMap(body.tenant) ? str(body.tenant.name) : null;
  if (!executionId || !tenantName) throw invalid('execution_id and tenant are required');
  const token = str(body.execution_token);
  return { kind: 'cancel', action, executionId, tenantName, ...(token ? { token } : {}) };
}

function invalid(detail: string): RejectMessageError {
  return new RejectMessageError('invalid_execution_message', detail);
}

/** `http://<first rest_host>:<rest_port>` — where status updates go. */
export function restUrlOf(context: JsonMap): string {
  const hosts = Array.isArray(context.rest_host) ? context.rest_host : [context.rest_host];
  const host = typeof hosts[0] === 'string' && hosts[0] ? hosts[0] : '127.0.0.1';
  const port = typeof context.rest_port === 'number' ? context.rest_port : 8100;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
