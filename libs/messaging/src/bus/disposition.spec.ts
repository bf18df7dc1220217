import { RpcException } from '@nestjs/microservices';
import { dispositionOf, RejectMessageError, RetryMessageError } from './disposition';

describe('dispositionOf', () => {
  it('dead-letters explicit rejections with their reason, whether thrown or filtered by Nest', () => {
    const error = new RejectMessageError('unknown_execution', 'no execution x');
    const expected = {
      action: 'dead-letter',
      reason: 'unknown_execution',
      detail: 'no execution x',
    };
    expect(dispositionOf(error, false)).toEqual(expected);
    // Nest's RPC exception filter hands the transport the RpcException's payload only.
    expect(dispositionOf(error.getError(), false)).toEqual(expected);
  });

  it('requeues explicit retries after their delay, even when redelivered', () => {
    expect(dispositionOf(new RetryMessageError('db down', 250), true)).toEqual({
      action: 'requeue',
      delayMs: 250,
    });
  });

  it('gives any other failure one more try, then dead-letters it as handler_error', () => {
    expect(dispositionOf(new Error('boom'), false)).toEqual({ action: 'requeue', delayMs: 0 });
    expect(dispositionOf(new Error('boom'), true)).toEqual({
      action: 'dead-letter',
      reason: 'handler_error',
      detail: 'boom',
    });
    expect(dispositionOf(new RpcException('plain'), true)).toMatchObject({ detail: 'plain' });
  });
});
