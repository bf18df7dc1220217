/** What the lock policy needs to know about a user's recent failed logins. */
export interface LoginFailures {
  failedLoginsCounter: number;
  lastFailedLoginAt: Date | null;
}

export interface LockPolicy {
  /** Consecutive failures that lock the account. */
  failedLoginsBeforeLock: number;
  /** The lock ends this long after the last failure; 0 keeps it until the counter is reset. */
  lockPeriodMs: number;
}

/**
 * A user is locked once its consecutive failed logins reach the limit, until the lock period has
 * passed since the last failure. A locked user is refused whatever credentials it presents.
 */
export function isLocked(user: LoginFailures, policy: LockPolicy, now: Date = new Date()): boolean {
  if (user.failedLoginsCounter < policy.failedLoginsBeforeLock) return false;
  if (policy.lockPeriodMs <= 0 || user.lastFailedLoginAt === null) return true;
  return user.lastFailedLoginAt.getTime() + policy.lockPeriodMs > now.getTime();
}
