import { ExecutionCancellation, cancelLevelOf } from './cancellation';

describe('ExecutionCancellation', () => {
  it('fires onCancel once and only raises levels upwards', () => {
    const signal = new ExecutionCancellation();
    const cancels: number[] = [];
    const levels: string[] = [];
    signal.onCancel(() => cancels.push(1));
    signal.onLevel((level) => levels.push(level));
    signal.raise('cancel');
    signal.raise('cancel');
    signal.raise('kill');
    signal.raise('force');
    expect(cancels).toEqual([1]);
    expect(levels).toEqual(['cancel', 'kill']);
    expect(signal.killRequested).toBe(true);
    // A listener added after the request hears it at once.
    signal.onCancel(() => cancels.push(2));
    expect(cancels).toEqual([1, 2]);
  });

  it('maps stored statuses to levels', () => {
    expect(cancelLevelOf('cancelling')).toBe('cancel');
    expect(cancelLevelOf('force_cancelling')).toBe('force');
    expect(cancelLevelOf('kill_cancelling')).toBe('kill');
    expect(cancelLevelOf('started')).toBeUndefined();
  });
});
