import { runWorkflow } from '@nestify/workflows';
import type { ExecutionRequest, WorkflowPorts } from '@nestify/workflows';

/**
 * Runs one workflow to its end. The engine owns the execution's status (started, then
 * terminated / failed / cancelled through the ExecutionStore port) and its events.
 */
export type WorkflowEngine = (request: ExecutionRequest, ports: WorkflowPorts) => Promise<unknown>;

export const WORKFLOW_ENGINE = 'MGMTWORKER_WORKFLOW_ENGINE';

/** libs/workflows' engine with the built-in workflows. */
export const libraryEngine: WorkflowEngine = (request, ports) => runWorkflow(request, ports);
