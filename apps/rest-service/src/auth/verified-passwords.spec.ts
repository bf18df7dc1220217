import { hash } from 'bcryptjs';
import { VerifiedPasswords } from './verified-passwords';

describe('VerifiedPasswords', () => {
  let now = 0;
  const clock = () => now;

  it('matches like bcrypt, and answers a repeated right password without bcrypt', async () => {
    const stored = await hash('s3cret', 4);
    const cache = new VerifiedPasswords(clock);
    expect(await cache.matches('wrong', stored)).toBe(false);
    expect(await cache.matches('s3cret', stored)).toBe(true);
    // The repeat is answered from memory (no second bcrypt round).
    expect(await cache.matches('s3cret', stored)).toBe(true);
  });

  it('forgets after the TTL and never matches a password against another stored hash', async () => {
    const stored = await hash('s3cret', 4);
    const changed = await hash('n3w-secret', 4);
    const cache = new VerifiedPasswords(clock);
    expect(await cache.matches('s3cret', stored)).toBe(true);
    expect(await cache.matches('s3cret', changed)).toBe(false);
    now += 61_000;
    expect(await cache.matches('wrong', stored)).toBe(false);
    expect(await cache.matches('s3cret', stored)).toBe(true);
  });

  it('never caches failures', async () => {
    const stored = await hash('s3cret', 4);
    const cache = new VerifiedPasswords(clock);
    for (let i = 0; i < 3; i++) expect(await cache.matches('nope', stored)).toBe(false);
  });
});
