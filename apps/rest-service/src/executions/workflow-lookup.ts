import { AvailabilityRules } from './workflow-availability';
import { NonexistentWorkflowError } from './execution-errors';
import { DeclaredParameters } from './workflow-parameters';

/** Workflows the manager itself knows, with the task that runs each (custom parameters allowed). */
export const SYSTEM_WORKFLOW_TASKS: Readonly<Record<string, string>> = {
  create_snapshot: 'cloudify_system_workflows.snapshot.create',
  restore_snapshot: 'cloudify_system_workflows.snapshot.restore',
  uninstall_plugin: 'cloudify_system_workflows.plugins.uninstall',
  create_deployment_environment: 'cloudify_system_workflows.deployment_environment.create',
  delete_deployment_environment: 'cloudify_system_workflows.deployment_environment.delete',
  update_plugin: 'cloudify_system_workflows.plugins.update',
  upload_blueprint: 'cloudify_system_workflows.blueprint.upload',
  csys_update_deployment: 'cloudify_system_workflows.deployment_environment.update_deployment',
  update: 'cloudify_system_workflows.deployment_update.workflow.update_deployment',
  create_log_bundle: 'cloudify_system_workflows.log_bundle.create',
};

/** A workflow as an execution needs it. */
export interface ResolvedWorkflow {
  taskName: string;
  parameters: DeclaredParameters;
  availabilityRules: AvailabilityRules | null;
  /** Name of the blueprint plugin implementing it, if any. */
  plugin: string | null;
  /** A manager workflow: any parameters are accepted. */
  system: boolean;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Finds a workflow in a deployment's `workflows` map (the plan's), falling back to the manager's
 * own workflows; anything else does not exist.
 */
export function resolveWorkflow(
  workflowId: string,
  workflows: Record<string, unknown> | null | undefined,
  deploymentId: string | null,
): ResolvedWorkflow {
  const declared = asObject(workflows?.[workflowId]);
  if (declared) {
    return {
      taskName: String(declared.operation ?? ''),
      parameters: (asObject(declared.parameters) ?? {}) as DeclaredParameters,
      availabilityRules: (asObject(declared.availability_rules) ??
        null) as AvailabilityRules | null,
      plugin: typeof declared.plugin === 'string' ? declared.plugin : null,
      system: false,
    };
  }
  const systemTask = SYSTEM_WORKFLOW_TASKS[workflowId];
  if (systemTask) {
    return {
      taskName: systemTask,
      parameters: {},
      availabilityRules: null,
      plugin: null,
      system: true,
    };
  }
  throw new NonexistentWorkflowError(
    deploymentId === null
      ? `Builtin workflow ${workflowId} does not exist`
      : `Workflow ${workflowId} does not exist in the deployment ${deploymentId}`,
  );
}
