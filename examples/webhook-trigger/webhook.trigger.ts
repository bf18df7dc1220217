import { Injectable } from '@nestjs/common';
import {
  eventFields,
  PolicyTrigger,
  TriggerOutcome,
  TriggerRequest,
  TriggerType,
} from '@nestify/policies';

export const WEBHOOK_TRIGGER = 'example.policies.triggers.webhook';

/**
 * A custom policy trigger: POSTs the firing policy's event as JSON to the `url` parameter,
 * e.g. to page someone or to call another system's API. Blueprints name it in
 * `policy_triggers` and use it like the built-in execute_workflow.
 */
@Injectable()
@PolicyTrigger()
export class WebhookTrigger implements TriggerType {
  readonly name = WEBHOOK_TRIGGER;

  async fire(request: TriggerRequest): Promise<TriggerOutcome> {
    const { url, headers } = request.parameters;
    if (typeof url !== 'string')
      throw new Error(`trigger '${request.triggerName}': 'url' is required`);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(typeof headers === 'object' && headers !== null
          ? (headers as Record<string, string>)
          : {}),
      },
      body: JSON.stringify({
        tenant_name: request.tenantName,
        deployment_id: request.deploymentId,
        group: request.policy.groupName,
        policy: request.policy.policyName,
        event: eventFields(request.breach),
        parameters: request.parameters,
      }),
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`webhook ${url} answered ${response.status}`);
    return { description: `webhook ${url} answered ${response.status}` };
  }
}
