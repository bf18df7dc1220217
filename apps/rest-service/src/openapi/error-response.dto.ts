/**
 * Cloudify's error body, as `HttpErrorFilter` writes it for every failed request; its Python
 * client picks the exception class from `error_code`.
 */
export class ErrorResponseDto {
  /** What went wrong, for a person. */
  message: string;
  /** Machine-readable kind, e.g. `not_found_error`, `unauthorized_error`, `forbidden_error`. */
  error_code: string;
  /** Always null: stack traces never leave the server. */
  server_traceback: string | null;
}
