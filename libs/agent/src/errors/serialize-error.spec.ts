import {
  HttpException,
  NonRecoverableError,
  OperationRetry,
  RecoverableError,
} from '@nestify/plugin-sdk';
import { ProcessException } from '../script/process-exception';
import { serializeError } from './serialize-error';

describe('serializeError', () => {
  it('gives a RecoverableError its retry_after and appends its cause', () => {
    const serialized = serializeError(
      new RecoverableError('busy', 10, [{ message: 'earlier', type: 'X' }]),
    );
    expect(serialized).toMatchObject({
      exception_type: 'RecoverableError',
      message: 'busy',
      known_exception_type: 'RecoverableError',
      known_exception_type_args: [10],
      append_message: false,
    });
    expect(serialized.known_exception_type_kwargs?.causes).toEqual([
      { message: 'earlier', type: 'X', traceback: null },
      expect.objectContaining({ message: 'busy', type: 'RecoverableError' }),
    ]);
  });

  it('keeps the known kinds apart', () => {
    expect(serializeError(new NonRecoverableError('no')).known_exception_type).toBe(
      'NonRecoverableError',
    );
    expect(serializeError(new OperationRetry('later', 30))).toMatchObject({
      known_exception_type: 'OperationRetry',
      known_exception_type_args: [30],
    });
    expect(serializeError(new HttpException('http://m/x', 404, 'gone'))).toMatchObject({
      known_exception_type: 'HttpException',
      known_exception_type_args: ['http://m/x', 404],
    });
  });

  it('treats unknown errors and failed scripts as recoverable under their own name', () => {
    expect(serializeError(new TypeError('bad'))).toMatchObject({
      exception_type: 'TypeError',
      known_exception_type: 'RecoverableError',
    });
    expect(serializeError('thrown string')).toMatchObject({ message: 'thrown string' });
    const failed = serializeError(new ProcessException('sh x.sh', 2, 'out', 'err'));
    expect(failed).toMatchObject({
      exception_type: 'ProcessException',
      known_exception_type: 'RecoverableError',
      message: 'command: sh x.sh, exit_code: 2, stdout: out, stderr: err',
    });
  });
});
