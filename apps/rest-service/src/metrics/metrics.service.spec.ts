import { intervalSeconds, parseInstant } from './metrics.service';

describe('metrics query parameters', () => {
  it('reads intervals in seconds or with a unit', () => {
    expect(intervalSeconds('90')).toBe(90);
    expect(intervalSeconds('5m')).toBe(300);
    expect(intervalSeconds('2h')).toBe(7200);
    expect(intervalSeconds('1d')).toBe(86400);
    expect(() => intervalSeconds('0')).toThrow(/Invalid interval/);
  });

  it('reads instants as ISO 8601 or Unix seconds', () => {
    expect(parseInstant('1700000000', 'from').toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parseInstant('2026-01-01T00:00:00Z', 'to').getTime()).toBe(Date.UTC(2026, 0, 1));
    expect(() => parseInstant('yesterday', 'from')).toThrow(/Invalid from/);
  });
});
