import {
  ACTIVE_EXECUTION_STATUSES,
  END_EXECUTION_STATUSES,
  EXECUTION_STATUSES,
  ExecutionStatus,
  isActiveExecutionStatus,
  isEndExecutionStatus,
  isExecutionStatus,
  isWaitingExecutionStatus,
  WAITING_EXECUTION_STATUSES,
} from './execution-status';

describe('execution statuses', () => {
  it('are the ten Cloudify knows', () => {
    expect([...EXECUTION_STATUSES].sort()).toEqual(
      [
        'cancelled',
        'cancelling',
        'failed',
        'force_cancelling',
        'kill_cancelling',
        'pending',
        'queued',
        'scheduled',
        'started',
        'terminated',
      ].sort(),
    );
  });

  it('split into end, waiting and active, each status in exactly one', () => {
    for (const status of EXECUTION_STATUSES) {
      const groups = [
        END_EXECUTION_STATUSES,
        WAITING_EXECUTION_STATUSES,
        ACTIVE_EXECUTION_STATUSES,
      ];
      expect([status, groups.filter((group) => group.has(status)).length]).toEqual([status, 1]);
    }
    expect([...END_EXECUTION_STATUSES]).toEqual(['terminated', 'failed', 'cancelled']);
    expect([...WAITING_EXECUTION_STATUSES].sort()).toEqual(['queued', 'scheduled']);
  });

  it('are recognised from raw strings', () => {
    expect(isExecutionStatus('force_cancelling')).toBe(true);
    expect(isExecutionStatus('completed')).toBe(false);
    expect(isExecutionStatus(undefined)).toBe(false);
    expect(isEndExecutionStatus(ExecutionStatus.Failed)).toBe(true);
    expect(isEndExecutionStatus('started')).toBe(false);
    expect(isActiveExecutionStatus('kill_cancelling')).toBe(true);
    expect(isActiveExecutionStatus('queued')).toBe(false);
    expect(isWaitingExecutionStatus('scheduled')).toBe(true);
    expect(isWaitingExecutionStatus('bogus')).toBe(false);
  });
});
