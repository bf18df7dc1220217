import { JsonObject } from '../model/json';
import { PolicySpec } from '../model/deployment-policies';
import { Breach } from '../types/policy-type';

/** One trigger of a firing policy, its parameters already resolved against the event. */
export interface TriggerRequest {
  tenantName: string;
  deploymentId: string;
  policy: PolicySpec;
  triggerName: string;
  parameters: JsonObject;
  breach: Breach;
}

export interface TriggerOutcome {
  /** The execution started, if any: no new trigger for the same target while it is active. */
  executionId?: string;
  /** A line for the policy log. */
  description?: string;
}

/** A policy trigger type (`cloudify.policies.triggers.execute_workflow`, or an extension's). */
export interface TriggerType {
  readonly name: string;
  fire(request: TriggerRequest): Promise<TriggerOutcome>;
}

export const EXECUTE_WORKFLOW = 'cloudify.policies.triggers.execute_workflow';

/** The body of `POST /executions` for an execute_workflow trigger (policies.md §3). */
export function executionRequestOf(request: TriggerRequest): JsonObject {
  const { parameters } = request;
  if (typeof parameters.workflow !== 'string' || parameters.workflow === '')
    throw new Error(`trigger '${request.triggerName}': parameter 'workflow' is required`);
  const workflowParameters = parameters.workflow_parameters;
  return {
    deployment_id: request.deploymentId,
    workflow_id: parameters.workflow,
    force: parameters.force === true,
    allow_custom_parameters: parameters.allow_custom_parameters === true,
    parameters:
      typeof workflowParameters === 'object' &&
      workflowParameters !== null &&
      !Array.isArray(workflowParameters)
        ? workflowParameters
        : {},
  };
}
