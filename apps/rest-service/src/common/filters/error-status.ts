/**
 * HTTP status of each Cloudify `error_code` — the one place that ties domain errors to HTTP.
 * Codes not listed are client errors (400), as most of Cloudify's are.
 */
export const ERROR_STATUS: Record<string, number> = {
  not_found_error: 404,
  imported_blueprint_not_found: 404,
  missing_premium_package_error: 404,
  conflict_error: 409,
  ambiguous_name: 409,
  storage_error: 409,
  bad_parameters_error: 400,
  illegal_action_error: 400,
  dependent_exists_error: 400,
  invalid_blueprint_error: 400,
  payload_too_large_error: 413,
  unsupported_content_type_error: 415,
  unauthorized_error: 401,
  forbidden_error: 403,
  forbidden_while_cancelling: 403,
  only_deployment_update: 403,
  blueprint_in_use: 405,
  plugin_in_use: 405,
  method_not_allowed_error: 405,
  maintenance_mode_active: 503,
  entering_maintenance_mode: 503,
  internal_server_error: 500,
};

export function statusForErrorCode(errorCode: string): number {
  return ERROR_STATUS[errorCode] ?? 400;
}

/** The error code Cloudify's client expects for a bare HTTP status (framework errors, unknown routes). */
export function errorCodeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_parameters_error';
    case 401:
      return 'unauthorized_error';
    case 403:
      return 'forbidden_error';
    case 404:
      return 'not_found_error';
    case 405:
      return 'method_not_allowed_error';
    case 409:
      return 'conflict_error';
    case 413:
      return 'payload_too_large_error';
    case 415:
      return 'unsupported_content_type_error';
    default:
      return status >= 500 ? 'internal_server_error' : 'bad_parameters_error';
  }
}
