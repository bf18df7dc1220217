import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ConflictError, NotFoundError } from '@nestify/common';
import { HttpErrorFilter } from './http-error.filter';

function respond(exception: unknown): { status: number; body: unknown } {
  const captured = { status: 0, body: undefined as unknown };
  const response = {
    sent: false,
    status(code: number) {
      captured.status = code;
      return this;
    },
    header() {
      return this;
    },
    send(body: unknown) {
      captured.body = body;
    },
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => response,
      getRequest: () => ({ method: 'GET', originalUrl: '/api/v3.1/x' }),
    }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter().catch(exception, host);
  return captured;
}

describe('HttpErrorFilter', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  it('maps a domain error to its status and Cloudify body', () => {
    expect(respond(new NotFoundError('Blueprint', 'bp1'))).toEqual({
      status: 404,
      body: {
        message: 'Requested `Blueprint` with ID `bp1` was not found',
        error_code: 'not_found_error',
        server_traceback: null,
      },
    });
    expect(respond(new ConflictError('exists')).status).toBe(409);
  });

  it('joins validation messages into one string with bad_parameters_error', () => {
    const result = respond(new BadRequestException(['a must be a string', 'b is required']));
    expect(result).toEqual({
      status: 400,
      body: {
        message: 'a must be a string; b is required',
        error_code: 'bad_parameters_error',
        server_traceback: null,
      },
    });
  });

  it('gives unknown routes a not_found_error body', () => {
    expect(respond(new NotFoundException('Cannot GET /nope')).body).toMatchObject({
      error_code: 'not_found_error',
    });
  });

  it('answers a value PostgreSQL refuses for its column (SQLSTATE 22…) as bad parameters', () => {
    const refused = Object.assign(new Error('invalid input syntax for type integer: "NaN"'), {
      code: '22P02',
    });
    const result = respond(new QueryFailedError('SELECT 1', [], refused));
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error_code: 'bad_parameters_error' });
    const broken = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
    expect(respond(new QueryFailedError('SELECT 1', [], broken)).status).toBe(500);
  });

  it('hides the details of unexpected errors behind a 500', () => {
    const result = respond(new Error('secret database password in here'));
    expect(result.status).toBe(500);
    expect(result.body).toEqual({
      message: 'Internal server error',
      error_code: 'internal_server_error',
      server_traceback: null,
    });
  });
});
