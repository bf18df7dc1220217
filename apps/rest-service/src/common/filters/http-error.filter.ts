import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { NestifyError } from '@nestify/common';
import { errorCodeForStatus, statusForErrorCode } from './error-status';

/** Cloudify's error body; its Python client picks the exception class from `error_code`. */
export interface CloudifyErrorBody {
  message: string;
  error_code: string;
  server_traceback: string | null;
}

/**
 * The single place that shapes error responses: domain errors by their code, framework errors by
 * their status, anything else as a logged 500 whose stack never reaches the client.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body } = this.toResponse(exception);
    // Domain errors (maintenance mode's 503s included) are answers, not failures worth a stack.
    if (status >= 500 && !(exception instanceof NestifyError)) {
      this.logger.error(
        { err: exception, method: request.method, url: request.originalUrl },
        'request failed',
      );
    }
    // A download that fails half-way has sent its status already: nothing left to answer.
    if (reply.sent) return;
    // JSON even where the route had set another type (a download that failed before streaming).
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown): { status: number; body: CloudifyErrorBody } {
    if (exception instanceof NestifyError) {
      return {
        status: statusForErrorCode(exception.errorCode),
        body: {
          message: exception.message,
          error_code: exception.errorCode,
          server_traceback: null,
          ...exception.bodyFields,
        },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return {
        status,
        body: {
          message: httpMessage(exception),
          error_code: errorCodeForStatus(status),
          server_traceback: null,
        },
      };
    }
    if (isDataException(exception)) {
      return {
        status: 400,
        body: {
          message: `Invalid parameter value: ${(exception as Error).message}`,
          error_code: 'bad_parameters_error',
          server_traceback: null,
        },
      };
    }
    const clientStatus = clientErrorStatus(exception);
    if (clientStatus) {
      return {
        status: clientStatus,
        body: {
          message: (exception as Error).message,
          error_code: errorCodeForStatus(clientStatus),
          server_traceback: null,
        },
      };
    }
    return {
      status: 500,
      body: {
        message: 'Internal server error',
        error_code: 'internal_server_error',
        server_traceback: null,
      },
    };
  }
}

/**
 * Fastify's body parsers and the multipart reader fail with plain errors that carry a 4xx
 * `statusCode`: a body over the limit (413) or unparsable JSON (400) is the client's fault.
 */
function clientErrorStatus(exception: unknown): number | undefined {
  if (!(exception instanceof Error)) return undefined;
  const { status, statusCode } = exception as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

/**
 * PostgreSQL's "data exception" class (SQLSTATE 22…): a value the client sent does not fit its
 * column — a filter of `created_at=abc` or `id=NaN`, a number out of range. Such values reach SQL
 * as parameters (never as SQL text), so the database is the one that refuses them; that is the
 * client's error, not the server's.
 */
function isDataException(exception: unknown): boolean {
  if (!(exception instanceof QueryFailedError)) return false;
  const code = (exception.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Validation errors arrive as a list of messages; Cloudify clients expect one readable string. */
function httpMessage(exception: HttpException): string {
  const payload = exception.getResponse();
  if (typeof payload === 'string') return payload;
  const message = (payload as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}
