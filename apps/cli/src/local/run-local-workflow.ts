import { dirname } from 'node:path';
import { LoggerLike, newUuid } from '@nestify/common';
import type { JsonObject } from '@nestify/dsl';
import {
  type ExecutionRequest,
  InMemoryExecutionStore,
  InMemoryGraphStore,
  type JsonMap,
  ManualCancellation,
  runWorkflow,
  type WorkflowOutcome,
  type WorkflowSettings,
} from '@nestify/workflows';
import { EventPrinter } from './event-printer';
import { LocalDeploymentStore } from './local-deployment-store';
import { LocalManagerClient } from './local-manager-client';
import {
  LOCAL_TENANT,
  LOCAL_USER,
  LocalExecutionRecord,
  LocalState,
  LocalStateFile,
} from './local-state';
import { LocalWorker } from './local-worker';
import { mergeParameters, plannedWorkflow } from './workflow-parameters';

/** Executions remembered in the state file. */
const KEPT_EXECUTIONS = 20;

export interface LocalRunOptions {
  workflowId: string;
  parameters: JsonObject;
  allowCustomParameters: boolean;
  /** Retries of a failed operation (-1: forever) and seconds between them. */
  taskRetries: number;
  taskRetryInterval: number;
  printer: EventPrinter;
  logger: LoggerLike;
}

function executionRequest(state: LocalState, options: LocalRunOptions): ExecutionRequest {
  const workflow = plannedWorkflow(state.plan, options.workflowId);
  const parameters = mergeParameters(
    options.workflowId,
    workflow.parameters,
    options.parameters,
    options.allowCustomParameters,
  );
  const deployment = state.deployment.deployment;
  return {
    execution_id: newUuid(),
    workflow_id: options.workflowId,
    task_name: workflow.mapping,
    parameters: parameters as JsonMap,
    deployment_id: deployment.id,
    blueprint_id: state.blueprint_id,
    tenant_name: LOCAL_TENANT,
    execution_creator_username: LOCAL_USER,
    dry_run: false,
    resume: false,
    is_system_workflow: false,
    wait_after_fail: 600,
    context: { tenant: { name: LOCAL_TENANT }, local: true },
  };
}

/** Ctrl-C asks the workflow to cancel; a second one ends the process at once. */
function cancelOnInterrupt(cancellation: ManualCancellation, logger: LoggerLike): () => void {
  const onSignal = () => {
    if (cancellation.cancelRequested) process.exit(130);
    logger.warn('cancelling the workflow (Ctrl-C again to quit now)');
    cancellation.cancel();
  };
  process.on('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

/**
 * Runs one workflow on the local deployment: the engine of libs/workflows with the state file as
 * its deployment store, graphs kept in memory (local runs are not resumed), operations run by
 * libs/agent's worker in this process, and every event printed as it happens.
 */
export async function runLocalWorkflow(
  state: LocalState,
  file: LocalStateFile,
  options: LocalRunOptions,
): Promise<WorkflowOutcome> {
  const request = executionRequest(state, options);
  const deployments = new LocalDeploymentStore(state, file);
  const worker = await LocalWorker.start({
    client: new LocalManagerClient(deployments, dirname(state.blueprint_path)),
    events: options.printer,
    dataDir: file.dir,
    logger: options.logger,
  });
  const settings: WorkflowSettings = {
    task_retries: options.taskRetries,
    task_retry_interval: options.taskRetryInterval,
    subgraph_retries: 0,
    max_concurrent_tasks: 1000,
  };
  const cancellation = new ManualCancellation();
  const stopListening = cancelOnInterrupt(cancellation, options.logger);
  const record: LocalExecutionRecord = {
    id: request.execution_id,
    workflow_id: request.workflow_id,
    status: 'started',
    error: null,
    created_at: new Date().toISOString(),
    ended_at: null,
  };
  try {
    const outcome = await runWorkflow(request, {
      deployments,
      graphs: new InMemoryGraphStore(),
      dispatcher: worker.dispatcher,
      events: options.printer,
      execution: new InMemoryExecutionStore(),
      settings,
      cancellation,
    });
    Object.assign(record, {
      status: outcome.status,
      error: outcome.error ?? null,
      ended_at: new Date().toISOString(),
    });
    return outcome;
  } finally {
    stopListening();
    await worker.stop();
    state.deployment = await deployments.load();
    state.executions = [...state.executions, record].slice(-KEPT_EXECUTIONS);
    await file.save(state);
  }
}
