import { valueIn } from './sql-check';

describe('valueIn', () => {
  it('builds an IN list over the quoted column, escaping quotes in values', () => {
    expect(valueIn('status', ['a', 'b'])).toBe(`"status" IN ('a', 'b')`);
    expect(valueIn('name', ["o'brien"])).toBe(`"name" IN ('o''brien')`);
  });
});
