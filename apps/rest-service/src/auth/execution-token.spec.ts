import { ExecutionStatus } from '@nestify/model';
import { executionTokenValid } from './execution-token';

describe('execution token validity', () => {
  const now = new Date('2024-08-12T12:00:00.000Z');
  const state = (status: ExecutionStatus, extra = {}) => ({
    status,
    scheduledFor: null,
    hasUnfinishedOperations: false,
    ...extra,
  });

  it.each([
    ExecutionStatus.Pending,
    ExecutionStatus.Started,
    ExecutionStatus.Cancelling,
    ExecutionStatus.ForceCancelling,
    ExecutionStatus.KillCancelling,
  ])('accepts an execution that is %s', (status) => {
    expect(executionTokenValid(state(status), now)).toBe(true);
  });

  it.each([ExecutionStatus.Terminated, ExecutionStatus.Failed, ExecutionStatus.Queued])(
    'refuses an execution that is %s',
    (status) => expect(executionTokenValid(state(status), now)).toBe(false),
  );

  it('accepts a scheduled execution only within a minute of its time', () => {
    const at = (ms: number) => ({ scheduledFor: new Date(now.getTime() + ms) });
    expect(executionTokenValid(state(ExecutionStatus.Scheduled, at(-30_000)), now)).toBe(true);
    expect(executionTokenValid(state(ExecutionStatus.Scheduled, at(90_000)), now)).toBe(false);
  });

  it('accepts a cancelled execution only while operations are unfinished', () => {
    const running = { hasUnfinishedOperations: true };
    expect(executionTokenValid(state(ExecutionStatus.Cancelled, running), now)).toBe(true);
    expect(executionTokenValid(state(ExecutionStatus.Cancelled), now)).toBe(false);
  });
});
