/**
 * Domain errors carry Cloudify's `error_code`; they know nothing of HTTP. The REST service maps each
 * code to a status in one table, so libs and services throw these and never an HttpException.
 */
export class NestifyError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Fields the error body carries besides message and code (Cloudify adds some per error). */
  get bodyFields(): Record<string, unknown> {
    return {};
  }
}

export class NotFoundError extends NestifyError {
  constructor(model: string, id: string | number) {
    super(`Requested \`${model}\` with ID \`${id}\` was not found`, 'not_found_error');
  }
}

export class ConflictError extends NestifyError {
  constructor(message: string) {
    super(message, 'conflict_error');
  }
}

export class BadParametersError extends NestifyError {
  constructor(message: string) {
    super(message, 'bad_parameters_error');
  }
}

export class UnauthorizedError extends NestifyError {
  constructor(message = 'User unauthorized') {
    super(message, 'unauthorized_error');
  }
}

export class ForbiddenError extends NestifyError {
  constructor(message: string) {
    super(message, 'forbidden_error');
  }
}

export class IllegalActionError extends NestifyError {
  constructor(message: string) {
    super(message, 'illegal_action_error');
  }
}

export class StorageError extends NestifyError {
  constructor(message: string) {
    super(message, 'storage_error');
  }
}

/** A message on the bus that cannot be decoded or validated: dead-lettered, never retried. */
export class MalformedMessageError extends NestifyError {
  constructor(
    message: string,
    readonly reason: string = 'malformed',
  ) {
    super(message, 'malformed_message');
  }
}

/** Something still depends on what is to be deleted (a tenant's resources, a user's). */
export class DependentExistsError extends NestifyError {
  constructor(message: string) {
    super(message, 'dependent_exists_error');
  }
}

/** A blueprint that failed to upload, extract or parse, or is not in a state to be used. */
export class InvalidBlueprintError extends NestifyError {
  constructor(message: string) {
    super(message, 'invalid_blueprint_error');
  }
}

/** Deleting a blueprint that other blueprints import (HTTP 405, as in Cloudify). */
export class BlueprintInUseError extends NestifyError {
  constructor(message: string) {
    super(message, 'blueprint_in_use');
  }
}
