import { statementName } from './prepared-query';

describe('statementName', () => {
  it('names the same generated SQL the same way, and different SQL differently', () => {
    const first = statementName('SELECT 1 AS spec_a');
    expect(first).toMatch(/^generated_[0-9a-f]{40}$/);
    expect(statementName('SELECT 1 AS spec_a')).toBe(first);
    expect(statementName('SELECT 1 AS spec_b')).not.toBe(first);
  });

  it('stops naming new statements past its cap but keeps the names it gave', () => {
    const kept = statementName('SELECT 1 AS spec_kept');
    for (let n = 0; n < 300; n++) statementName(`SELECT ${n} AS spec_fill`);
    expect(statementName('SELECT 2 AS spec_new_after_cap')).toBeUndefined();
    expect(statementName('SELECT 1 AS spec_kept')).toBe(kept);
  });
});
