import { formatCursor, parseCursor, START_CURSOR } from './event-cursor';

describe('event cursor', () => {
  it('round-trips through its SSE id', () => {
    expect(parseCursor(formatCursor({ events: 12, logs: 7 }))).toEqual({ events: 12, logs: 7 });
  });

  it('starts from the beginning without an id', () => {
    expect(parseCursor(undefined)).toEqual(START_CURSOR);
    expect(parseCursor(' ')).toEqual(START_CURSOR);
  });

  it('refuses ids it did not write', () => {
    expect(() => parseCursor('12')).toThrow(/Invalid last event id/);
    expect(() => parseCursor('a-1')).toThrow(/Invalid last event id/);
  });
});
