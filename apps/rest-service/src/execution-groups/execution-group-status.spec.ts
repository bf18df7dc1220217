import { executionGroupStatus } from './execution-group-status';

describe('executionGroupStatus', () => {
  it.each([
    [[], null],
    [['pending', 'pending'], 'pending'],
    [['pending', 'queued'], 'queued'],
    [['scheduled', 'queued'], 'queued'],
    [['started', 'queued'], 'started'],
    [['terminated', 'pending'], 'started'],
    [['cancelling', 'terminated'], 'started'],
    [['terminated', 'cancelled'], 'terminated'],
    [['terminated', 'failed', 'cancelled'], 'failed'],
  ])('%j → %s', (statuses, expected) => {
    expect(executionGroupStatus(statuses)).toBe(expected);
  });
});
