import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  let now = 1_000;
  const clock = () => now;

  it('returns a value until it expires', () => {
    const cache = new ExpiringCache<string>(10, clock);
    cache.set('a', 'A', now + 100);
    expect(cache.get('a')).toBe('A');
    now += 100;
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not store what has already expired', () => {
    const cache = new ExpiringCache<string>(10, clock);
    cache.set('a', 'A', now);
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new ExpiringCache<number>(2, clock);
    cache.set('a', 1, now + 10);
    cache.set('b', 2, now + 10);
    cache.set('c', 3, now + 10);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('forgets everything on clear', () => {
    const cache = new ExpiringCache<number>(2, clock);
    cache.set('a', 1, now + 10);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });
});
