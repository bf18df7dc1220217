import { AttemptLimiter } from './attempt-limiter';

describe('AttemptLimiter', () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => (now = 1_000));

  it('blocks a key once it reaches the limit, until its window ends', () => {
    const limiter = new AttemptLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('ip:1')).toBe(0);
      limiter.record('ip:1');
    }
    expect(limiter.retryAfterMs('ip:1')).toBe(60_000);
    expect(limiter.retryAfterMs('ip:2')).toBe(0);
    now += 59_000;
    expect(limiter.retryAfterMs('ip:1')).toBe(1_000);
    now += 1_000;
    expect(limiter.retryAfterMs('ip:1')).toBe(0);
  });

  it('never blocks with a limit of 0', () => {
    const limiter = new AttemptLimiter(0, 60_000, clock);
    for (let i = 0; i < 100; i++) limiter.record('user:a');
    expect(limiter.retryAfterMs('user:a')).toBe(0);
  });
});
