import { isLocked } from './lock-policy';

describe('lock policy', () => {
  const now = new Date('2024-08-12T12:00:00.000Z');
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
  const policy = { failedLoginsBeforeLock: 5, lockPeriodMs: 30 * 60_000 };

  it('does not lock below the limit', () => {
    expect(
      isLocked({ failedLoginsCounter: 4, lastFailedLoginAt: minutesAgo(0) }, policy, now),
    ).toBe(false);
  });

  it('locks at the limit while the lock period runs', () => {
    expect(
      isLocked({ failedLoginsCounter: 5, lastFailedLoginAt: minutesAgo(1) }, policy, now),
    ).toBe(true);
    expect(
      isLocked({ failedLoginsCounter: 9, lastFailedLoginAt: minutesAgo(29) }, policy, now),
    ).toBe(true);
  });

  it('unlocks once the period has passed since the last failure', () => {
    expect(
      isLocked({ failedLoginsCounter: 5, lastFailedLoginAt: minutesAgo(31) }, policy, now),
    ).toBe(false);
  });

  it('keeps the lock forever with a period of 0', () => {
    const forever = { ...policy, lockPeriodMs: 0 };
    const user = { failedLoginsCounter: 5, lastFailedLoginAt: minutesAgo(60 * 24 * 365) };
    expect(isLocked(user, forever, now)).toBe(true);
  });
});
