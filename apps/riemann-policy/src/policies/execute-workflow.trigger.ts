import { Inject, Injectable } from '@nestjs/common';
import { NESTIFY_CONFIG } from '@nestify/config';
import type { NestifyConfig } from '@nestify/config';
import {
  EXECUTE_WORKFLOW,
  executionRequestOf,
  TriggerOutcome,
  TriggerRequest,
  TriggerType,
} from '@nestify/policies';

/** Our REST service can be slower under load than Cloudify 4's 1 s defaults allowed for. */
const MIN_TIMEOUT_MS = 10_000;

/**
 * `cloudify.policies.triggers.execute_workflow`: starts the execution through the REST API —
 * the same path, checks and queueing as any client's `POST /executions` — as the admin user, in
 * the deployment's tenant.
 */
@Injectable()
export class ExecuteWorkflowTrigger implements TriggerType {
  readonly name = EXECUTE_WORKFLOW;
  private readonly authorization: string;

  constructor(@Inject(NESTIFY_CONFIG) private readonly config: NestifyConfig) {
    const pair = Buffer.from(`admin:${config.adminPassword}`).toString('base64');
    this.authorization = `Basic ${pair}`;
  }

  async fire(request: TriggerRequest): Promise<TriggerOutcome> {
    const body = executionRequestOf(request);
    const { socket_timeout, conn_timeout } = request.parameters;
    const timeoutMs = Math.max(MIN_TIMEOUT_MS, Number(socket_timeout) + Number(conn_timeout) || 0);
    const response = await fetch(`${this.config.policies.managerUrl}/api/v3.1/executions`, {
      method: 'POST',
      headers: {
        Authorization: this.authorization,
        Tenant: request.tenantName,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as { id?: string; message?: string };
    if (response.status !== 201 || typeof answer.id !== 'string')
      throw new Error(
        `starting ${String(body.workflow_id)} on ${request.deploymentId} failed ` +
          `(${response.status}): ${answer.message ?? 'no message'}`,
      );
    return {
      executionId: answer.id,
      description: `started ${String(body.workflow_id)} execution ${answer.id}`,
    };
  }
}
