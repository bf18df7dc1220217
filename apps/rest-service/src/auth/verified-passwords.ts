import { createHmac, randomBytes } from 'node:crypto';
import { compare } from 'bcryptjs';

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
  private readonly verified = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async matches(password: string, storedHash: string): Promise<boolean> {
    const entry = createHmac('sha256', this.key)
      .update(storedHash)
      .update('\0')
      .update(password)
      .digest('base64');
    const expires = this.verified.get(entry);
    if (expires !== undefined && expires > this.clock()) return true;
    this.verified.delete(entry);
    if (!(await compare(password, storedHash))) return false;
    if (this.verified.size >= MAX_ENTRIES) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(entry, this.clock() + TTL_MS);
    return true;
  }
}
