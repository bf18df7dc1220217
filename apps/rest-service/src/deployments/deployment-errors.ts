import { NestifyError } from '@nestify/common';

/** The blueprint is not usable, or create_deployment_environment failed (HTTP 400). */
export class DeploymentCreationError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_creation_error');
  }
}

/** PUT /deployments left out an input the blueprint requires (HTTP 400). */
export class MissingRequiredDeploymentInputError extends NestifyError {
  constructor(message: string) {
    super(message, 'missing_required_deployment_input_error');
  }
}

/** PUT /deployments named an input the blueprint does not declare (HTTP 400). */
export class UnknownDeploymentInputError extends NestifyError {
  constructor(message: string) {
    super(message, 'unknown_deployment_input_error');
  }
}

/** An output's function could not be evaluated (HTTP 400). */
export class DeploymentOutputsEvaluationError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_outputs_evaluation_error');
  }
}

/** A capability's function could not be evaluated (HTTP 400). */
export class DeploymentCapabilitiesEvaluationError extends NestifyError {
  constructor(message: string) {
    super(message, 'deployment_capabilities_evaluation_error');
  }
}
