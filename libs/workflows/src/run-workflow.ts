import type { ExecutionRequest, ExecutionStatus, WorkflowPorts } from './ports';
import { WorkflowContext } from './context/workflow-context';
import { ExecutionCancelled, NonRecoverableError, WorkflowFailed } from './engine/errors';
import { defaultWorkflowRegistry, WorkflowRegistry } from './workflow-registry';

export interface WorkflowOutcome {
  status: Extract<ExecutionStatus, 'terminated' | 'failed' | 'cancelled'>;
  error?: string;
}

function errorText(error: unknown): string {
  if (error instanceof WorkflowFailed) return error.message;
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one execution (workflows.md §1): marks it started (a refused transition means it was
 * cancelled meanwhile), announces it, runs the workflow function with a ctx over the
 * deployment, and ends it as terminated, failed or cancelled — events first, then the status.
 */
export async function runWorkflow(
  request: ExecutionRequest,
  ports: WorkflowPorts,
  registry: WorkflowRegistry = defaultWorkflowRegistry(),
): Promise<WorkflowOutcome> {
  const wf = request.workflow_id;
  const suffix = request.dry_run ? ' (dry run)' : '';
  const flushAll = async () => {
    // Instance states first: set-state tasks only queue them.
    await ports.deployments.flush?.();
    await Promise.all([ports.events.flush(), ports.graphs.flush()]);
  };
  let ctx: WorkflowContext | undefined;
  const bare = new WorkflowContext({ request, ports, snapshot: null, handlers: registry.handlers });
  const emit = (type: string, text: string, args?: Record<string, string>) =>
    ports.events.publish([bare.events.workflowEvent(type, text, args ?? null)]);
  const end = async (outcome: WorkflowOutcome): Promise<WorkflowOutcome> => {
    await ctx?.instanceStatesStored();
    await flushAll();
    await ports.execution.setStatus(outcome.status, outcome.error).catch(() => undefined);
    return outcome;
  };

  try {
    await ports.execution.setStatus('started');
  } catch {
    emit('workflow_cancelled', `'${wf}' workflow execution cancelled`);
    return end({ status: 'cancelled' });
  }
  emit(
    'workflow_started',
    `${request.resume ? 'Resuming' : 'Starting'} '${wf}' workflow execution${suffix}`,
  );
  try {
    const definition = registry.resolve(request.task_name);
    if (!definition) throw new NonRecoverableError(`No workflow function for ${request.task_name}`);
    if (request.resume && !definition.resumable) {
      throw new NonRecoverableError(`Cannot resume - workflow not resumable: ${request.task_name}`);
    }
    const snapshot = request.deployment_id ? await ports.deployments.load() : null;
    ctx = new WorkflowContext({ request, ports, snapshot, handlers: registry.handlers });
    await definition.fn(ctx, request.parameters);
  } catch (error) {
    if (error instanceof ExecutionCancelled) {
      emit('workflow_cancelled', `'${wf}' workflow execution cancelled${suffix}`);
      return end({ status: 'cancelled' });
    }
    const text = errorText(error);
    emit('workflow_failed', `'${wf}' workflow execution failed: ${errorMessage(error)}${suffix}`, {
      error: text,
    });
    return end({ status: 'failed', error: text });
  }
  emit('workflow_succeeded', `'${wf}' workflow execution succeeded${suffix}`);
  return end({ status: 'terminated' });
}
