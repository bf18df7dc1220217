import { NestifyError } from '@nestify/common';

/** The workflow is not one the deployment declares (400). */
export class NonexistentWorkflowError extends NestifyError {
  constructor(message: string) {
    super(message, 'nonexistent_workflow_error');
  }
}

/** The workflow's availability rules refuse the deployment's current state (400). */
export class UnavailableWorkflowError extends NestifyError {
  constructor(workflowId: string) {
    super(`Workflow not available: ${workflowId}`, 'unavailable_workflow_error');
  }
}

/** Undeclared, mistyped or missing workflow parameters (400). */
export class IllegalExecutionParametersError extends NestifyError {
  constructor(message: string) {
    super(message, 'illegal_execution_parameters_error');
  }
}

/** Another execution blocks this one and it may not be queued (400). */
export class ExistingRunningExecutionError extends NestifyError {
  constructor(message: string) {
    super(message, 'existing_running_execution_error');
  }
}

/** A status change the state machine refuses (400; the code's spelling is Cloudify's). */
export class InvalidExecutionUpdateStatusError extends NestifyError {
  constructor(message: string) {
    super(message, 'invalid_exception_status_update');
  }
}

/** The deployment's create_deployment_environment has not finished yet (400). */
export class DeploymentEnvironmentCreationPendingError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_environment_creation_pending_error');
  }
}

export class DeploymentEnvironmentCreationInProgressError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_environment_creation_in_progress_error');
  }
}

/** The deployment's environment creation failed or was cancelled (400). */
export class DeploymentCreationError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_creation_error');
  }
}

/** The execution could not be handed to the workflow engine (500): it was marked failed. */
export class ExecutionDispatchError extends NestifyError {
  constructor(message: string) {
    super(message, 'internal_server_error');
  }
}
