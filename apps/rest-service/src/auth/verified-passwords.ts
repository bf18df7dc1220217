import { createHmac, randomBytes } from 'node:crypto';
import { compare } from 'bcryptjs';
import { ExpiringCache } from '../common/identity/expiring-cache';

/** How long a verified password stays verified; a changed password changes the stored hash anyway. */
const TTL_MS = 60_000;
/** Bounded memory: the oldest entries go first. */
const MAX_ENTRIES = 10_000;

/**
 * bcrypt is slow on purpose (~70 ms in JavaScript at cost 10), and clients send Basic credentials
 * on every request. This remembers, for a minute, which (password, stored hash) pairs matched, as
 * HMACs under a key that never leaves the process — so a memory dump reveals no password, and a
 * new password (a new stored hash) never matches an old entry. Failures are never cached: every
 * wrong password still costs a full bcrypt comparison and counts towards the lock.
 */
export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly verified: ExpiringCache<true>;

  constructor(private readonly clock: () => number = Date.now) {
    this.verified = new ExpiringCache(MAX_ENTRIES, clock);
  }

  async matches(password: string, storedHash: string): Promise<boolean> {
    const entry = createHmac('sha256', this.key)
      .update(storedHash)
      .update('\0')
      .update(password)
      .digest('base64');
    if (this.verified.get(entry)) return true;
    if (!(await compare(password, storedHash))) return false;
    this.verified.set(entry, true, this.clock() + TTL_MS);
    return true;
  }
}
