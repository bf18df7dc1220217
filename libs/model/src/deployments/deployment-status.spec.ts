import { EXECUTION_STATUSES, ExecutionStatus } from '../executions/execution-status';
import { ExecutionSummary, summarizeExecutionStatus } from './deployment-status';

describe('summarizeExecutionStatus', () => {
  it('maps the end statuses to their own summary and everything else to in_progress', () => {
    expect(summarizeExecutionStatus(ExecutionStatus.Terminated)).toBe(ExecutionSummary.Completed);
    expect(summarizeExecutionStatus(ExecutionStatus.Failed)).toBe(ExecutionSummary.Failed);
    expect(summarizeExecutionStatus(ExecutionStatus.Cancelled)).toBe(ExecutionSummary.Cancelled);
    const others = EXECUTION_STATUSES.filter(
      (s) => !['terminated', 'failed', 'cancelled'].includes(s),
    );
    expect(new Set(others.map(summarizeExecutionStatus))).toEqual(
      new Set([ExecutionSummary.InProgress]),
    );
  });
});
