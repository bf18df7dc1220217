import { EXECUTION_STATUSES, ExecutionStatus } from '@nestify/model';
import {
  decideConcurrency,
  isStatusUpdateAllowed,
  planCancel,
  statusDisplay,
} from './execution-rules';

const S = ExecutionStatus;

describe('isStatusUpdateAllowed', () => {
  it.each([
    [S.Pending, S.Started, true],
    [S.Started, S.Terminated, true],
    [S.Started, S.Pending, true],
    [S.Pending, S.Terminated, true],
    [S.Queued, S.Pending, true],
    [S.KillCancelling, S.Started, true],
    [S.Cancelling, S.Cancelled, true],
    [S.Cancelling, S.Failed, true],
    [S.Cancelling, S.Queued, true],
    [S.Cancelling, S.Started, false],
    [S.Cancelling, S.Terminated, false],
    [S.Cancelling, S.ForceCancelling, false],
    [S.ForceCancelling, S.Cancelling, false],
    [S.ForceCancelling, S.Cancelled, true],
    [S.Terminated, S.Started, false],
    [S.Failed, S.Cancelled, false],
    [S.Cancelled, S.Pending, false],
  ])('%s → %s: %s', (from, to, allowed) => {
    expect(isStatusUpdateAllowed('install', from, to)).toBe(allowed);
  });

  it('always allows the same status, and lets create_snapshot leave an end state', () => {
    for (const status of EXECUTION_STATUSES)
      expect(isStatusUpdateAllowed('install', status, status)).toBe(true);
    expect(isStatusUpdateAllowed('create_snapshot', S.Failed, S.Terminated)).toBe(true);
  });
});

describe('planCancel', () => {
  it('moves running executions to the matching cancelling status', () => {
    expect(planCancel('x', S.Started, 'cancel')).toEqual({ status: S.Cancelling, kill: false });
    expect(planCancel('x', S.Pending, 'force-cancel')).toEqual({
      status: S.ForceCancelling,
      kill: false,
    });
    expect(planCancel('x', S.Cancelling, 'force-cancel').status).toBe(S.ForceCancelling);
    expect(planCancel('x', S.Terminated, 'kill')).toEqual({ status: S.KillCancelling, kill: true });
  });

  it('ends waiting executions cancelled at once', () => {
    expect(planCancel('x', S.Queued, 'cancel')).toEqual({ status: S.Cancelled, kill: false });
    expect(planCancel('x', S.Scheduled, 'force-cancel').status).toBe(S.Cancelled);
  });

  it("refuses with Cloudify's message", () => {
    expect(() => planCancel('e1', S.Terminated, 'cancel')).toThrow(
      "Can't cancel execution e1 because it's in status terminated",
    );
    expect(() => planCancel('e1', S.Cancelling, 'cancel')).toThrow(/illegal|Can't cancel/);
    expect(() => planCancel('e1', S.Failed, 'force-cancel')).toThrow(
      "Can't force-cancel execution e1 because it's in status failed",
    );
  });
});

describe('decideConcurrency', () => {
  const none = { systemBlockers: [], deploymentBlockers: [], anyActive: [] };
  const request = {
    workflowId: 'install',
    hasDeployment: true,
    isSystemWorkflow: false,
    force: false,
    queue: false,
  };

  it('runs when nothing blocks', () => {
    expect(decideConcurrency(request, none)).toBe('run');
  });

  it('queues or refuses behind another execution of the deployment', () => {
    const busy = { ...none, deploymentBlockers: ['a'] };
    expect(decideConcurrency({ ...request, queue: true }, busy)).toBe('queue');
    expect(() => decideConcurrency(request, busy)).toThrow(
      /currently running for this deployment: \[a\]/,
    );
    expect(decideConcurrency({ ...request, force: true }, busy)).toBe('run');
  });

  it('always queues behind a system workflow, even forced', () => {
    expect(decideConcurrency({ ...request, force: true }, { ...none, systemBlockers: ['s'] })).toBe(
      'queue',
    );
  });

  it('makes a system workflow without deployment wait for every active execution', () => {
    const system = {
      ...request,
      hasDeployment: false,
      isSystemWorkflow: true,
      workflowId: 'uninstall_plugin',
    };
    expect(decideConcurrency(system, none)).toBe('run');
    expect(decideConcurrency({ ...system, queue: true }, { ...none, anyActive: ['a'] })).toBe(
      'queue',
    );
    expect(() => decideConcurrency(system, { ...none, anyActive: ['a'] })).toThrow(
      /other executions running/,
    );
  });
});

describe('statusDisplay', () => {
  it('shows terminated as completed', () => {
    expect(statusDisplay('terminated')).toBe('completed');
    expect(statusDisplay('failed')).toBe('failed');
  });
});
